package io.tributary.replication;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A producer for failover tests: sends one record per request with {@code acks=all} to partition 0
 * of a topic through a bootstrap broker's REST API, each with a value never sent before, and keeps
 * what was acknowledged at which offset. A request that fails is not retried (its record may or may
 * not have been written), so a value can legitimately appear at most once.
 */
final class AcksAllProducer implements AutoCloseable {

    /** A record the cluster acknowledged: its value as stored (JSON text) and its offset. */
    record Ack(String value, long offset) {
    }

    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CompletableFuture<Void> running;

    AcksAllProducer(IntSupplier restPort, String topic) {
        running = CompletableFuture.runAsync(() -> {
            for (int i = 0; !stop.get(); i++) {
                send(restPort.getAsInt(), topic, "v-" + i);
            }
        });
    }

    private void send(int port, String topic, String value) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/topics/" + topic
                        + "/records?acks=all"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"value\":\"" + value + "\",\"partition\":0}]}"))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher m = OFFSET.matcher(response.body());
            if (response.statusCode() == 200 && m.find()) {
                acks.add(new Ack("\"" + value + "\"", Long.parseLong(m.group(1))));
            }
        } catch (Exception e) {
            // not acknowledged: never sent again
        }
    }

    int acknowledged() {
        return acks.size();
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        running.get();
    }
}
