package io.tributary.replication;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A REST consumer-group member for restart tests, on its own thread: joins the group (from
 * earliest), fetches and commits the next offset after each batch. It finds the group's
 * coordinator by trying the brokers {@code restPorts} lists in turn: a request refused with
 * NOT_COORDINATOR, or left unanswered, goes to the next broker; when the group no longer knows the member (UNKNOWN_MEMBER_ID, say after its
 * coordinator moved) it joins again. Keeps every committed offset of partition 0 in order, and
 * counts joins.
 */
final class GroupMemberLoop implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<List<Integer>> restPorts;
    private final String group;
    private final String topic;
    private final List<Long> commits = new CopyOnWriteArrayList<>();
    private final AtomicInteger joins = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CompletableFuture<Void> running;
    private volatile String lastFailure = "none";
    private int target;
    private String memberId;
    private String token;

    GroupMemberLoop(Supplier<List<Integer>> restPorts, String group, String topic) {
        this.restPorts = restPorts;
        this.group = group;
        this.topic = topic;
        running = CompletableFuture.runAsync(this::run);
    }

    private void run() {
        while (!stop.get()) {
            try {
                if (memberId == null) {
                    join();
                } else {
                    fetchAndCommit();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                lastFailure = e.toString();
                target++; // the broker went away mid-request: try the next one
            }
        }
    }

    private void join() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/groups/" + group + "/members"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"topics\":[\"" + topic + "\"],\"autoOffsetReset\":\"earliest\"}")));
        if (r.statusCode() != 201) {
            failed(r);
        } else {
            JsonNode body = JSON.readTree(r.body());
            memberId = body.get("memberId").asString();
            token = body.get("token").asString();
            joins.incrementAndGet();
        }
    }

    private void fetchAndCommit() throws Exception {
        String member = "/api/v1/groups/" + group + "/members/" + memberId;
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(member + "/records?maxWaitMs=200&maxRecords=200"))
                .header("X-Member-Token", token).GET());
        if (forgotten(r) || r.statusCode() != 200) {
            return;
        }
        JsonNode body = JSON.readTree(r.body());
        long next = -1;
        for (JsonNode record : body.get("records")) {
            if (record.get("partition").asInt() == 0) {
                next = Math.max(next, record.get("offset").asLong() + 1);
            }
        }
        if (next < 0) {
            return;
        }
        HttpResponse<String> c = send(HttpRequest.newBuilder(uri(member + "/offsets"))
                .header("X-Member-Token", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"generation\":" + body.get("generation").asInt()
                        + ",\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":" + next + "}]}")));
        if (!forgotten(c) && c.statusCode() == 200) {
            commits.add(next);
        }
    }

    /** True (and the member forgotten) when the group does not know the member any more. */
    private boolean forgotten(HttpResponse<String> r) {
        failed(r);
        if (r.statusCode() == 404 || r.body().contains("\"UNKNOWN_MEMBER_ID\"")) {
            memberId = null;
            return true;
        }
        return false;
    }

    /** Notes a failure; NOT_COORDINATOR sends the next request to the next broker. */
    private void failed(HttpResponse<String> r) {
        if (r.statusCode() >= 300) {
            lastFailure = r.statusCode() + " " + r.body();
            if (r.body().contains("\"NOT_COORDINATOR\"")) {
                target++;
            }
        }
    }

    private URI uri(String path) {
        List<Integer> ports = restPorts.get();
        return URI.create("http://127.0.0.1:" + ports.get(Math.floorMod(target, ports.size())) + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Offsets of partition 0 committed, in the order the commits were acknowledged. */
    List<Long> commits() {
        return List.copyOf(commits);
    }

    long lastCommitted() {
        List<Long> all = commits();
        return all.isEmpty() ? -1 : all.get(all.size() - 1);
    }

    /** The last failed request's status and body (or exception), for failure messages. */
    String lastFailure() {
        return lastFailure;
    }

    int joins() {
        return joins.get();
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        running.get();
    }
}
