package io.tributary.group;

import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.MockTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCoordinatorTest {

    private static final long SESSION_MS = 10_000;
    private static final long REBALANCE_MS = 20_000;
    private static final long GRACE_MS = 5_000;

    private final MockTime time = new MockTime();
    private final MemoryOffsetStore store = new MemoryOffsetStore();
    private final FakeLogOffsets logs = new FakeLogOffsets().topic("orders", 6, 100);
    private final List<CommitAudit> audited = new ArrayList<>();
    private final GroupCoordinator coordinator = new GroupCoordinator(store, logs, audited::addAll, time,
            new GroupSettings(SESSION_MS, REBALANCE_MS, GRACE_MS));
    private final GroupAdmin admin = new GroupAdmin(coordinator);
    private final DeliveryLedger ledger = new DeliveryLedger();

    @AfterEach
    void noPartitionWasEverDeliveredByTwoMembers() {
        assertThat(ledger.violations).isEmpty();
    }

    private JoinResult join(DeliveryLedger.Member member, String assignor, boolean sessionBound) {
        JoinResult result = coordinator.join("g", new JoinRequest(Set.of("orders"), assignor,
                OffsetResetPolicy.EARLIEST, sessionBound, 0, null, "10.0.0.1", member));
        member.id = result.memberId();
        return result;
    }

    private JoinResult join(DeliveryLedger.Member member) {
        return join(member, "range", true);
    }

    private static void assertFailsWith(ErrorCode code, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TributaryException.class,
                ex -> assertThat(ex.code()).isEqualTo(code));
    }

    private static List<Integer> sizes(DeliveryLedger.Member... members) {
        return java.util.Arrays.stream(members).map(m -> m.partitions().size()).toList();
    }

    private static Set<TopicPartition> union(DeliveryLedger.Member... members) {
        Set<TopicPartition> all = new HashSet<>();
        for (DeliveryLedger.Member m : members) {
            all.addAll(m.partitions());
        }
        return all;
    }

    @Test
    void threeMembersOnSixPartitionsGetTwoEachThenAFourthAndFifthRebalance() {
        DeliveryLedger.Member a = ledger.new Member("a");
        DeliveryLedger.Member b = ledger.new Member("b");
        DeliveryLedger.Member c = ledger.new Member("c");
        join(a);
        join(b);
        JoinResult third = join(c);

        assertThat(sizes(a, b, c)).containsExactly(2, 2, 2);
        assertThat(union(a, b, c)).hasSize(6);
        assertThat(third.assignment().generation()).isEqualTo(3);
        assertThat(coordinator.group("g").state()).isEqualTo(GroupState.STABLE);

        DeliveryLedger.Member d = ledger.new Member("d");
        join(d);
        assertThat(sizes(a, b, c, d)).containsExactlyInAnyOrder(2, 2, 1, 1);
        DeliveryLedger.Member e = ledger.new Member("e");
        join(e);
        assertThat(sizes(a, b, c, d, e)).containsExactlyInAnyOrder(2, 1, 1, 1, 1);
        assertThat(union(a, b, c, d, e)).hasSize(6);
    }

    @Test
    void revokedPartitionsMoveOnlyAfterTheirOwnerConfirms() {
        DeliveryLedger.Member a = ledger.new Member("a");
        join(a);
        assertThat(a.partitions()).hasSize(6);
        a.holdRevocations = true;

        DeliveryLedger.Member b = ledger.new Member("b");
        JoinResult joined = join(b);

        assertThat(joined.assignment().partitions()).isEmpty();
        assertThat(b.last).isNull();
        assertThat(coordinator.group("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);

        a.releaseHeld();

        assertThat(b.partitions()).hasSize(3);
        assertThat(a.partitions()).hasSize(3);
        assertThat(union(a, b)).hasSize(6);
        assertThat(coordinator.group("g").state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void aMemberThatDoesNotReleaseWithinTheRebalanceTimeoutIsRemoved() {
        DeliveryLedger.Member a = ledger.new Member("a");
        join(a);
        a.holdRevocations = true;
        DeliveryLedger.Member b = ledger.new Member("b");
        join(b);

        time.advance(REBALANCE_MS - 1);
        coordinator.tick();
        assertThat(b.last).isNull();

        time.advance(1);
        coordinator.tick();
        assertThat(a.removed).isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS);
        assertThat(b.partitions()).hasSize(6);
    }

    @Test
    void aSilentRestMemberExpiresAfterItsSessionTimeoutAndItsPartitionsMove() {
        DeliveryLedger.Member a = ledger.new Member("a");
        DeliveryLedger.Member b = ledger.new Member("b");
        JoinResult silent = join(a, "range", false);
        JoinResult alive = join(b, "range", false);

        time.advance(SESSION_MS - 1);
        coordinator.heartbeat("g", alive.memberId(), alive.token());
        coordinator.tick();
        assertThat(a.removed).isNull();

        time.advance(1);
        coordinator.tick();
        assertThat(a.removed).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        assertThat(b.partitions()).hasSize(6);
        assertFailsWith(ErrorCode.UNKNOWN_MEMBER_ID, () -> coordinator.heartbeat("g", silent.memberId(), silent.token()));
    }

    @Test
    void aDisconnectedMemberResumesWithItsTokenWithinTheGracePeriodWithoutARebalance() {
        DeliveryLedger.Member a = ledger.new Member("a");
        DeliveryLedger.Member b = ledger.new Member("b");
        JoinResult first = join(a);
        join(b);
        Set<TopicPartition> before = Set.copyOf(a.partitions());
        int generation = coordinator.group("g").generation();

        coordinator.disconnect("g", first.memberId(), first.token());
        ledger.stopAll(first.memberId());
        time.advance(GRACE_MS - 1);
        coordinator.tick();

        DeliveryLedger.Member again = ledger.new Member("a-again");
        JoinResult resumed = coordinator.join("g", new JoinRequest(Set.of("orders"), null, OffsetResetPolicy.EARLIEST,
                true, 0, first.token(), "10.0.0.2", again));

        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.memberId()).isEqualTo(first.memberId());
        assertThat(again.partitions()).isEqualTo(before);
        assertThat(coordinator.group("g").generation()).isEqualTo(generation);
        assertThat(b.assignments).hasSize(1);
    }

    @Test
    void aDisconnectedMemberIsRemovedWhenTheGracePeriodEnds() {
        DeliveryLedger.Member a = ledger.new Member("a");
        DeliveryLedger.Member b = ledger.new Member("b");
        JoinResult first = join(a);
        join(b);
        coordinator.disconnect("g", first.memberId(), first.token());
        ledger.stopAll(first.memberId());

        time.advance(GRACE_MS);
        coordinator.tick();

        assertThat(b.partitions()).hasSize(6);
        assertThat(coordinator.group("g").members()).hasSize(1);
    }

    @Test
    void aCommitForAPartitionTheMemberNoLongerOwnsIsRefused() {
        DeliveryLedger.Member a = ledger.new Member("a");
        JoinResult first = join(a);
        int oldGeneration = a.last.generation();
        Set<TopicPartition> before = Set.copyOf(a.partitions());
        join(ledger.new Member("b"));
        TopicPartition lost = before.stream().filter(tp -> !a.partitions().contains(tp)).findFirst().orElseThrow();
        TopicPartition kept = a.partitions().iterator().next();

        assertFailsWith(ErrorCode.ILLEGAL_GENERATION, () -> coordinator.commit("g", first.memberId(), first.token(),
                oldGeneration, List.of(new PartitionCommit(lost, 10, null)), null));
        assertFailsWith(ErrorCode.ILLEGAL_GENERATION, () -> coordinator.commit("g", first.memberId(), first.token(),
                a.last.generation() + 1, List.of(new PartitionCommit(kept, 10, null)), null));
        assertThat(store.writes).hasValue(0);

        coordinator.commit("g", first.memberId(), first.token(), a.last.generation(),
                List.of(new PartitionCommit(kept, 10, "m")), "10.0.0.9").join();
        assertThat(store.committed("g").get(kept).offset()).isEqualTo(10);
        assertThat(audited).singleElement().satisfies(c -> {
            assertThat(c.memberId()).isEqualTo(first.memberId());
            assertThat(c.clientAddress()).isEqualTo("10.0.0.9");
            assertThat(c.generation()).isEqualTo(a.last.generation());
        });
    }

    @Test
    void gainedPartitionsStartAtTheCommittedOffsetElseTheResetPolicy() {
        store.commit("g", Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(42, null, 0))).join();
        logs.starts.put(new TopicPartition("orders", 1), 7L);
        DeliveryLedger.Member a = ledger.new Member("a");
        join(a);
        assertThat(a.last.partitions()).containsEntry(new TopicPartition("orders", 0), 42L)
                .containsEntry(new TopicPartition("orders", 1), 7L);

        DeliveryLedger.Member late = new DeliveryLedger().new Member("late");
        coordinator.join("h", new JoinRequest(Set.of("orders"), null, OffsetResetPolicy.LATEST, true, 0, null, null, late));
        assertThat(late.last.partitions()).containsEntry(new TopicPartition("orders", 0), 100L);
    }

    @Test
    void theStickyAssignorKeepsPartitionsWhereTheyAre() {
        DeliveryLedger.Member a = ledger.new Member("a");
        DeliveryLedger.Member b = ledger.new Member("b");
        join(a, "sticky", true);
        join(b, "sticky", true);
        Set<TopicPartition> aBefore = Set.copyOf(a.partitions());
        Set<TopicPartition> bBefore = Set.copyOf(b.partitions());

        join(ledger.new Member("c"), "sticky", true);

        assertThat(aBefore).containsAll(a.partitions());
        assertThat(bBefore).containsAll(b.partitions());
        assertThat(a.partitions()).hasSize(2);
        assertFailsWith(ErrorCode.INVALID_REQUEST, () -> join(ledger.new Member("d"), "range", true));
    }

    @Test
    void moreMembersThanPartitionsLeavesTheExtraOnesIdleUntilOneFreesUp() {
        logs.topic("small", 1, 0);
        DeliveryLedger.Member a = ledger.new Member("a");
        DeliveryLedger.Member b = ledger.new Member("b");
        JoinResult first = coordinator.join("s", new JoinRequest(Set.of("small"), null, null, true, 0, null, null, a));
        JoinResult second = coordinator.join("s", new JoinRequest(Set.of("small"), null, null, true, 0, null, null, b));
        boolean aHolds = !a.partitions().isEmpty();
        DeliveryLedger.Member idle = aHolds ? b : a;
        JoinResult holder = aHolds ? first : second;
        assertThat((aHolds ? a : b).partitions()).hasSize(1);
        assertThat(idle.last.idle()).isTrue();

        ledger.stopAll(holder.memberId());
        coordinator.leave("s", holder.memberId(), holder.token());

        assertThat(idle.partitions()).hasSize(1);
    }

    @Test
    void aTopicGrowingRebalancesTheGroupsReadingIt() {
        DeliveryLedger.Member a = ledger.new Member("a");
        DeliveryLedger.Member b = ledger.new Member("b");
        join(a);
        join(b);
        logs.topic("orders", 8, 0);

        coordinator.onTopicChanged("orders");

        assertThat(sizes(a, b)).containsExactly(4, 4);
    }

    @Test
    void offsetsResetOnlyWhileTheGroupHasNoMembersAndLagFollowsThem() {
        DeliveryLedger.Member a = ledger.new Member("a");
        JoinResult member = join(a);
        assertFailsWith(ErrorCode.GROUP_NOT_EMPTY,
                () -> admin.resetOffsets("g", "orders", GroupAdmin.ResetTarget.EARLIEST, null, null));
        coordinator.leave("g", member.memberId(), member.token());

        admin.resetOffsets("g", "orders", GroupAdmin.ResetTarget.OFFSETS, null, Map.of(2, 60L)).join();

        GroupDescription description = admin.describe("g");
        assertThat(description.state()).isEqualTo(GroupState.EMPTY);
        assertThat(description.offsets()).filteredOn(p -> p.partition() == 2).singleElement()
                .satisfies(p -> {
                    assertThat(p.committedOffset()).isEqualTo(60);
                    assertThat(p.logEndOffset()).isEqualTo(100);
                    assertThat(p.lag()).isEqualTo(40);
                });
        admin.delete("g").join();
        assertThat(store.committed("g")).isEmpty();
        assertFailsWith(ErrorCode.GROUP_NOT_FOUND, () -> admin.describe("g"));
    }
}
