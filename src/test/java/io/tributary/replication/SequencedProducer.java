package io.tributary.replication;

import io.tributary.replication.ConsistencyChecker.Ack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A producer for {@link ConsistencyChecker}: one thread sending one record per request with
 * {@code acks=all}, the partitions of a topic in turn, through whichever broker {@code restPort}
 * names at the time. Its values are {@code <id>-<sequence>} with the sequence rising by one per
 * request, so no value is ever sent twice: after a failure the producer goes on with the next
 * sequence number (a retry under a new identity), and a value stored twice was copied by the
 * cluster. Keeps every acknowledgement, counts retriable failures (a problem with
 * {@code "retriable":true}, or no answer at all) and keeps every other failure.
 */
final class SequencedProducer implements AutoCloseable {

    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");
    private static final Pattern RETRIABLE = Pattern.compile("\"retriable\":true");

    private final String id;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private final AtomicLong retriable = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CompletableFuture<Void> running;

    SequencedProducer(String id, IntSupplier restPort, String topic, int partitions) {
        this.id = id;
        running = CompletableFuture.runAsync(() -> {
            for (long sequence = 0; !stop.get(); sequence++) {
                send(restPort.getAsInt(), topic, (int) (sequence % partitions), sequence);
            }
        }, task -> new Thread(task, "producer-" + id).start());
    }

    private void send(int port, String topic, int partition, long sequence) {
        String value = Ack.value(id, sequence);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/topics/" + topic
                        + "/records?acks=all"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"value\":\"" + value + "\",\"partition\":"
                        + partition + "}]}"))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher m = OFFSET.matcher(response.body());
            if (response.statusCode() == 200 && m.find()) {
                acks.add(new Ack(id, sequence, partition, Long.parseLong(m.group(1))));
            } else if (RETRIABLE.matcher(response.body()).find()) {
                retriable.incrementAndGet();
            } else {
                fatal.add(value + ": " + response.statusCode() + " " + response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        } catch (Exception e) {
            retriable.incrementAndGet();
        }
    }

    int acknowledged() {
        return acks.size();
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    long retriableFailures() {
        return retriable.get();
    }

    /** Failures that were not retriable: value, status and body. */
    List<String> fatalFailures() {
        return List.copyOf(fatal);
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        running.get();
    }
}
