package io.tributary.bench.cluster;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's view of a running cluster: broker URLs by id ({@code --brokers=1=http://...,2=...})
 * and, read over REST from one broker, the controller and each partition's leader, epoch, replicas
 * and ISR. Thread safety: immutable; each read is one blocking request.
 */
final class ClusterView {

    /** One partition as {@code GET /api/v1/topics/{topic}} describes it. */
    record PartitionView(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<Integer, String> urls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ClusterView(Map<Integer, String> urls) {
        this.urls = Map.copyOf(urls);
    }

    /** Parses {@code id=value,id=value}. */
    static Map<Integer, String> parseIds(String text) {
        Map<Integer, String> byId = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            int eq = entry.indexOf('=');
            byId.put(Integer.parseInt(entry.substring(0, eq).trim()), entry.substring(eq + 1).trim());
        }
        return byId;
    }

    Map<Integer, String> urls() {
        return urls;
    }

    String url(int brokerId) {
        String url = urls.get(brokerId);
        if (url == null) {
            throw new IllegalStateException("No URL for broker " + brokerId + " in " + urls);
        }
        return url;
    }

    /** The partitions of {@code topic} as broker {@code askId} sees them. */
    List<PartitionView> partitions(int askId, String topic, Duration timeout) {
        JsonNode body = get(askId, "/api/v1/topics/" + topic, timeout);
        List<PartitionView> partitions = new ArrayList<>();
        for (JsonNode p : body.get("partitions")) {
            partitions.add(new PartitionView(p.get("partition").asInt(), p.get("leader").asInt(),
                    p.get("leaderEpoch").asInt(), ints(p.get("replicas")), ints(p.get("isr"))));
        }
        return partitions;
    }

    /** The controller's id as broker {@code askId} sees it. */
    int controller(int askId) {
        return get(askId, "/api/v1/cluster", Duration.ofSeconds(5)).get("controllerId").asInt();
    }

    private JsonNode get(int askId, String path, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(askId) + path)).timeout(timeout).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " from broker " + askId + ": HTTP "
                        + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " from broker " + askId + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asInt()));
        return values;
    }
}
