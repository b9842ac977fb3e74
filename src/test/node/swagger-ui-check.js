// Opens Swagger UI in headless Chromium, waits for the operations to render, runs
// "Try it out" / "Execute" on GET /api/v1/cluster and prints what it saw as one JSON line.
// Usage: node swagger-ui-check.js <baseUrl> <screenshot.png> [chromium]
// chromium defaults to $CHROMIUM, then /usr/bin/chromium. SwaggerUiIT asserts on the printed JSON.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const TIMEOUT_MS = 60_000;

async function main() {
  const [baseUrl, screenshot, chromiumPath] = process.argv.slice(2);
  if (!baseUrl || !screenshot) {
    throw new Error('usage: node swagger-ui-check.js <baseUrl> <screenshot.png> [chromium]');
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath || process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 1600 },
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        consoleErrors.push(message.text());
      }
    });

    await page.goto(`${baseUrl}/swagger-ui.html`);
    await page.locator('.opblock').first().waitFor();
    const title = (await page.locator('.info .title').first().innerText()).trim();
    const tags = (await page.locator('.opblock-tag').allInnerTexts()).map((t) => t.split('\n')[0].trim());
    const operations = await page.locator('.opblock').evaluateAll((blocks) => blocks.map((block) => {
      const text = (selector) => (block.querySelector(selector)?.textContent || '').trim();
      return {
        method: text('.opblock-summary-method'),
        path: text('.opblock-summary-path').replace(/\u200b/g, ''),
        summary: text('.opblock-summary-description'),
      };
    }));

    const cluster = page.locator('.opblock-get').filter({
      has: page.locator('.opblock-summary-path[data-path="/api/v1/cluster"]'),
    });
    await cluster.locator('.opblock-summary').first().click();
    await cluster.locator('button.try-out__btn').click();
    await cluster.locator('button.execute').click();
    const status = cluster.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();
    const body = (await cluster.locator('.live-responses-table .response-col_description pre').first().innerText()).trim();
    await cluster.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshot, fullPage: true });

    const result = {
      title,
      tags,
      operations,
      tryItOut: { status: (await status.innerText()).trim(), body },
      consoleErrors,
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`swagger-ui-check failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
