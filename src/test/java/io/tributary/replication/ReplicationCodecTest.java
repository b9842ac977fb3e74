package io.tributary.replication;

import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.RecordBatchBuilder;
import io.tributary.log.record.SimpleRecord;
import io.tributary.replication.ReplicationCodec.Frame;
import io.tributary.replication.ReplicationMessages.EpochResponse;
import io.tributary.replication.ReplicationMessages.FetchPartition;
import io.tributary.replication.ReplicationMessages.FetchRequest;
import io.tributary.replication.ReplicationMessages.FetchResponse;
import io.tributary.replication.ReplicationMessages.OffsetsResponse;
import io.tributary.replication.ReplicationMessages.PartitionData;
import io.tributary.replication.ReplicationMessages.ProduceRequest;
import io.tributary.replication.ReplicationMessages.ProduceResponse;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationCodecTest {

    private static final TopicPartition TP = new TopicPartition("orders-é", 7);
    private static final MemoryRecords BATCH = RecordBatchBuilder.withRecords(40,
            SimpleRecord.of(5, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)));

    /** Through a whole frame, as the transport sees it: length prefix removed, then parsed. */
    private static ByteBuffer roundTrip(byte key, ByteBuffer body) {
        byte[] frame = ReplicationCodec.frame(key, 42, body);
        assertThat(ByteBuffer.wrap(frame).getInt()).isEqualTo(frame.length - 4);
        Frame parsed = Frame.parse(Arrays.copyOfRange(frame, 4, frame.length));
        assertThat(parsed.apiKey()).isEqualTo(key);
        assertThat(parsed.correlationId()).isEqualTo(42);
        return parsed.body();
    }

    @Test
    void fetchRequestAndResponseRoundTripWithBatchBytesUntouched() {
        FetchRequest request = new FetchRequest(3, 500, 1 << 20, List.of(new FetchPartition(TP, 40, 2),
                new FetchPartition(new TopicPartition("b", 0), 0, -1)));
        assertThat(ReplicationCodec.fetchRequest(roundTrip(ReplicationCodec.FETCH, ReplicationCodec.encode(request))))
                .isEqualTo(request);

        FetchResponse response = new FetchResponse(List.of(new PartitionData(TP, "", 41, 0, 41, BATCH),
                new PartitionData(new TopicPartition("b", 0), "NOT_LEADER", -1, -1, -1, MemoryRecords.EMPTY)));
        FetchResponse decoded = ReplicationCodec.fetchResponse(roundTrip(ReplicationCodec.FETCH, ReplicationCodec.encode(response)));
        assertThat(decoded).isEqualTo(response);
        assertThat(decoded.partitions().get(0).records().buffer()).isEqualTo(BATCH.buffer());
    }

    @Test
    void epochProduceAndOffsetsRoundTrip() {
        EpochResponse epoch = new EpochResponse("", 4, 1042);
        assertThat(ReplicationCodec.epochResponse(roundTrip(ReplicationCodec.OFFSETS_FOR_LEADER_EPOCH,
                ReplicationCodec.encode(epoch)))).isEqualTo(epoch);

        for (Acks acks : Acks.values()) {
            ProduceRequest produce = new ProduceRequest(TP, acks, BATCH);
            assertThat(ReplicationCodec.produceRequest(roundTrip(ReplicationCodec.PRODUCE, ReplicationCodec.encode(produce))))
                    .isEqualTo(produce);
        }
        ProduceResponse answer = new ProduceResponse("NOT_ENOUGH_REPLICAS", "only 1 in sync", -1, -1, -1, 0);
        assertThat(ReplicationCodec.produceResponse(roundTrip(ReplicationCodec.PRODUCE, ReplicationCodec.encode(answer))))
                .isEqualTo(answer);

        OffsetsResponse offsets = new OffsetsResponse("", "", 3, 99, 50);
        assertThat(ReplicationCodec.offsetsResponse(roundTrip(ReplicationCodec.LIST_OFFSETS, ReplicationCodec.encode(offsets))))
                .isEqualTo(offsets);
    }
}
