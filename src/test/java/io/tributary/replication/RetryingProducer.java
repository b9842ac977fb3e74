package io.tributary.replication;

import io.tributary.log.record.Record;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A producer for shutdown tests: sends one record per request with {@code acks=all} to partition 0
 * of a topic through the REST API of whichever broker {@code restPort} names at the time, each
 * value new, and sends the same value again after a retriable failure (a problem with
 * {@code "retriable":true}, or no answer at all) until it is acknowledged. It keeps what was
 * acknowledged at which offset, which values were retried (those may legitimately be stored more
 * than once), and every failure that was not retriable.
 */
final class RetryingProducer implements AutoCloseable {

    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");
    private static final Pattern RETRIABLE = Pattern.compile("\"retriable\":true");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AcksAllProducer.Ack> acks = new CopyOnWriteArrayList<>();
    private final Set<String> retried = ConcurrentHashMap.newKeySet();
    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CompletableFuture<Void> running;

    RetryingProducer(IntSupplier restPort, String topic) {
        running = CompletableFuture.runAsync(() -> {
            for (int i = 0; !stop.get(); i++) {
                String value = "v-" + i;
                while (!stop.get() && !send(restPort, topic, value)) {
                    retried.add("\"" + value + "\"");
                }
            }
        });
    }

    /** True when acknowledged or failed for good, false when it should be sent again. */
    private boolean send(IntSupplier restPort, String topic, String value) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort.getAsInt()
                            + "/api/v1/topics/" + topic + "/records?acks=all"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"value\":\"" + value + "\",\"partition\":0}]}"))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher m = OFFSET.matcher(response.body());
            if (response.statusCode() == 200 && m.find()) {
                acks.add(new AcksAllProducer.Ack("\"" + value + "\"", Long.parseLong(m.group(1))));
                return true;
            }
            if (RETRIABLE.matcher(response.body()).find()) {
                return false;
            }
            fatal.add(response.statusCode() + " " + response.body());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    int acknowledged() {
        return acks.size();
    }

    List<AcksAllProducer.Ack> acks() {
        return List.copyOf(acks);
    }

    /** Values sent more than once (JSON text, as stored). */
    Set<String> retried() {
        return Set.copyOf(retried);
    }

    /** Failures that were not retriable: status and body. */
    List<String> fatalFailures() {
        return List.copyOf(fatal);
    }

    /**
     * Checks {@code leader}'s committed records against what was sent: offsets dense from 0, every
     * acknowledged value at its offset, a value stored more than once only if it was sent more
     * than once, and no failure that was not retriable.
     */
    void assertNothingAcknowledgedIsLost(Partition leader) {
        List<Record> records = new ArrayList<>();
        leader.read(0, Integer.MAX_VALUE).records().records().forEach(records::add);
        List<String> values = records.stream().map(r -> new String(r.valueBytes(), StandardCharsets.UTF_8)).toList();
        assertThat(records.stream().map(Record::offset).toList()).as("dense offsets")
                .isEqualTo(LongStream.range(0, records.size()).boxed().toList());
        for (AcksAllProducer.Ack ack : acks()) {
            assertThat(values.get((int) ack.offset())).as("acknowledged at %d", ack.offset()).isEqualTo(ack.value());
        }
        Map<String, Long> counts = values.stream().collect(Collectors.groupingBy(v -> v, Collectors.counting()));
        Set<String> storedTwice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(retried()).as("values stored more than once were sent more than once").containsAll(storedTwice);
        assertThat(fatalFailures()).as("failures that were not retriable").isEmpty();
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        running.get();
    }
}
