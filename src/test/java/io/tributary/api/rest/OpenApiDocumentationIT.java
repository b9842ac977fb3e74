package io.tributary.api.rest;

import io.tributary.BrokerTestProperties;
import io.tributary.common.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules every documented operation follows, checked on the broker's own {@code /v3/api-docs} so
 * they hold for operations added later: a summary and a tag; every parameter described with an
 * example; request and success bodies with examples; at least one 4xx response; and every error
 * response a {@code Problem} with examples whose status and {@code code} agree with the broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class OpenApiDocumentationIT {

    private static final String PROBLEM_JSON = "application/problem+json";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BrokerTestProperties.register(registry, dataDir);
    }

    WebTestClient client;

    @Autowired
    void client(WebTestClient client) {
        // the first /v3/api-docs is generated on demand, which can take seconds on a busy machine
        this.client = client.mutate().responseTimeout(Duration.ofMinutes(1)).build();
    }

    private final JsonMapper mapper = JsonMapper.builder().build();

    private JsonNode apiDocs() {
        String json = client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return mapper.readTree(json);
    }

    /** Calls {@code check} with "METHOD /path" and the operation, for every operation documented. */
    private void forEachOperation(JsonNode docs, BiConsumer<String, JsonNode> check) {
        for (Map.Entry<String, JsonNode> path : docs.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                check.accept(operation.getKey().toUpperCase() + " " + path.getKey(), operation.getValue());
            }
        }
    }

    @Test
    void theRestApiIsDocumented() {
        JsonNode docs = apiDocs();
        Set<String> operations = new TreeSet<>();
        forEachOperation(docs, (name, op) -> operations.add(name));
        assertThat(operations).contains(
                "POST /api/v1/topics", "GET /api/v1/topics", "GET /api/v1/topics/{topic}",
                "PATCH /api/v1/topics/{topic}", "DELETE /api/v1/topics/{topic}",
                "POST /api/v1/topics/{topic}/records", "GET /api/v1/topics/{topic}/partitions/{partition}/records",
                "GET /api/v1/topics/{topic}/partitions/{partition}/offsets", "GET /api/v1/cluster");
        JsonNode produce = docs.at("/paths/~1api~1v1~1topics~1{topic}~1records/post");
        assertThat(names(produce.at("/requestBody/content"))).contains("application/json", "application/x-ndjson");
    }

    @Test
    void everyOperationHasASummaryATagAndDescribedParametersWithExamples() {
        List<String> problems = new ArrayList<>();
        forEachOperation(apiDocs(), (name, op) -> {
            if (op.path("summary").asString("").isBlank()) {
                problems.add(name + ": no summary");
            }
            if (op.path("tags").isEmpty()) {
                problems.add(name + ": no tag");
            }
            for (JsonNode parameter : op.path("parameters")) {
                String which = name + " parameter " + parameter.path("name").asString();
                if (parameter.path("description").asString("").isBlank()) {
                    problems.add(which + ": no description");
                }
                if (!hasExample(parameter)) {
                    problems.add(which + ": no example");
                }
            }
            for (Map.Entry<String, JsonNode> body : op.at("/requestBody/content").properties()) {
                if (!hasExample(body.getValue())) {
                    problems.add(name + " request body " + body.getKey() + ": no example");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationDocumentsItsSuccessWithAnExampleAndAtLeastOneClientError() {
        List<String> problems = new ArrayList<>();
        forEachOperation(apiDocs(), (name, op) -> {
            Set<String> statuses = names(op.path("responses"));
            if (statuses.stream().noneMatch(s -> s.startsWith("2"))) {
                problems.add(name + ": no success response");
            }
            if (statuses.stream().noneMatch(s -> s.startsWith("4"))) {
                problems.add(name + ": no 4xx response");
            }
            for (Map.Entry<String, JsonNode> response : op.path("responses").properties()) {
                if (!response.getKey().startsWith("2")) {
                    continue;
                }
                for (Map.Entry<String, JsonNode> content : response.getValue().path("content").properties()) {
                    if (!hasExample(content.getValue())) {
                        problems.add(name + " " + response.getKey() + " " + content.getKey() + ": no example");
                    }
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyErrorResponseIsAProblemWithExamplesThatMatchTheBroker() {
        List<String> problems = new ArrayList<>();
        forEachOperation(apiDocs(), (name, op) -> {
            for (Map.Entry<String, JsonNode> response : op.path("responses").properties()) {
                int status = Integer.parseInt(response.getKey());
                if (status < 400) {
                    continue;
                }
                String which = name + " " + status;
                JsonNode content = response.getValue().path("content").path(PROBLEM_JSON);
                if (content.isMissingNode()) {
                    problems.add(which + ": not documented as " + PROBLEM_JSON);
                    continue;
                }
                if (!content.at("/schema/$ref").asString("").endsWith("/Problem")) {
                    problems.add(which + ": schema is not Problem");
                }
                List<JsonNode> examples = examples(content);
                if (examples.isEmpty()) {
                    problems.add(which + ": no example");
                }
                for (JsonNode example : examples) {
                    problems.addAll(checkProblemExample(which, status, example));
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    private static List<String> checkProblemExample(String which, int status, JsonNode example) {
        List<String> problems = new ArrayList<>();
        String code = example.path("code").asString("");
        if (Arrays.stream(ErrorCode.values()).noneMatch(c -> c.name().equals(code))) {
            problems.add(which + ": example without a known code: " + example);
            return problems;
        }
        ErrorCode errorCode = ErrorCode.valueOf(code);
        if (example.path("status").asInt() != status) {
            problems.add(which + ": example " + code + " has status " + example.path("status"));
        }
        if (example.path("retriable").asBoolean(!errorCode.retriable()) != errorCode.retriable()) {
            problems.add(which + ": example " + code + " has the wrong retriable flag");
        }
        String expectedType = "urn:tributary:error:" + code.toLowerCase().replace('_', '-');
        if (!expectedType.equals(example.path("type").asString())) {
            problems.add(which + ": example " + code + " has type " + example.path("type"));
        }
        return problems;
    }

    @Test
    void theProblemSchemaHasEveryFieldTheBrokerSendsAndEveryCode() {
        client.post().uri("/api/v1/topics").header("Content-Type", "application/json")
                .bodyValue("{\"name\":\"documented\"}").exchange().expectStatus().isCreated();
        String body = client.get().uri("/api/v1/topics/documented/partitions/0/records?offset=5").exchange()
                .expectStatus().isEqualTo(416)
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode schema = apiDocs().at("/components/schemas/Problem");

        assertThat(names(schema.path("properties"))).containsAll(names(mapper.readTree(body)));
        Set<String> codes = new TreeSet<>();
        schema.at("/properties/code/enum").forEach(c -> codes.add(c.asString()));
        assertThat(codes).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }

    private static boolean hasExample(JsonNode node) {
        return node.has("example") || !node.path("examples").isEmpty();
    }

    /** The example values of a media type, whether given as one {@code example} or named {@code examples}. */
    private static List<JsonNode> examples(JsonNode mediaType) {
        List<JsonNode> values = new ArrayList<>();
        if (mediaType.has("example")) {
            values.add(mediaType.get("example"));
        }
        mediaType.path("examples").forEach(e -> values.add(e.path("value")));
        return values;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }
}
