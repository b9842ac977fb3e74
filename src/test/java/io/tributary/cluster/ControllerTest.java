package io.tributary.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ControllerTest {

    private static TopicDefinition topic(Map<String, String> configs) {
        return new TopicDefinition("t", 3, configs, Map.of(0, List.of(1, 2, 3)), 0);
    }

    private static final TopicDefinition CLEAN = topic(Map.of());
    private static final TopicDefinition UNCLEAN = topic(Map.of(Controller.UNCLEAN_LEADER_ELECTION, "true"));

    @Test
    void aLostLeaderIsReplacedByTheFirstLiveIsrMemberInANewEpoch() {
        PartitionState s = new PartitionState(1, 4, List.of(1, 3, 2), 7);

        PartitionState next = Controller.decide(CLEAN, 0, s, Set.of(2, 3));

        assertThat(next).isEqualTo(new PartitionState(2, 5, List.of(3, 2), 7));
    }

    @Test
    void withNoLiveIsrMemberThePartitionGoesOfflineKeepingItsIsr() {
        PartitionState s = new PartitionState(1, 4, List.of(1), 7);

        assertThat(Controller.decide(CLEAN, 0, s, Set.of(2, 3))).isEqualTo(new PartitionState(-1, 5, List.of(1), 7));
        assertThat(Controller.decide(CLEAN, 0, new PartitionState(-1, 5, List.of(1), 8), Set.of(2, 3))).isNull();
    }

    @Test
    void anOfflinePartitionElectsItsIsrMemberWhenItReturns() {
        PartitionState offline = new PartitionState(-1, 5, List.of(1), 8);

        assertThat(Controller.decide(CLEAN, 0, offline, Set.of(1, 2))).isEqualTo(new PartitionState(1, 6, List.of(1), 8));
    }

    @Test
    void uncleanElectionTakesAnyLiveReplicaOnlyWhenTheTopicAllowsIt() {
        PartitionState s = new PartitionState(1, 4, List.of(1), 7);

        assertThat(Controller.decide(UNCLEAN, 0, s, Set.of(3))).isEqualTo(new PartitionState(3, 5, List.of(3), 7));
        assertThat(Controller.decide(CLEAN, 0, s, Set.of(3)).leader()).isEqualTo(PartitionState.NO_LEADER);
    }

    @Test
    void deadBrokersLeaveTheIsrOfALiveLeader() {
        PartitionState s = new PartitionState(2, 4, List.of(2, 1, 3), 7);

        assertThat(Controller.decide(CLEAN, 0, s, Set.of(2, 3))).isEqualTo(new PartitionState(2, 4, List.of(2, 3), 7));
    }

    @Test
    void thePreferredReplicaLeadsAgainOnceItIsInSync() {
        PartitionState notInSync = new PartitionState(2, 4, List.of(2, 3), 7);
        PartitionState inSync = new PartitionState(2, 4, List.of(2, 3, 1), 8);

        assertThat(Controller.decide(CLEAN, 0, notInSync, Set.of(1, 2, 3))).isNull();
        assertThat(Controller.decide(CLEAN, 0, inSync, Set.of(1, 2, 3))).isEqualTo(new PartitionState(1, 5, List.of(2, 3, 1), 8));
    }

    @Test
    void aHealthyPartitionIsLeftAlone() {
        assertThat(Controller.decide(CLEAN, 0, new PartitionState(1, 0, List.of(1, 2, 3), 0), Set.of(1, 2, 3))).isNull();
    }

    @Test
    void aLeaderShuttingDownHandsOverToAnotherIsrMemberAndLeavesTheIsr() {
        PartitionState s = new PartitionState(1, 4, List.of(1, 2, 3), 7);

        PartitionState next = Controller.decide(CLEAN, 0, s, Set.of(1, 2, 3), Set.of(1));

        assertThat(next).isEqualTo(new PartitionState(2, 5, List.of(2, 3), 7));
    }

    @Test
    void aLeaderShuttingDownWithNoOtherIsrMemberStays() {
        assertThat(Controller.decide(CLEAN, 0, new PartitionState(1, 4, List.of(1), 7), Set.of(1, 2, 3), Set.of(1)))
                .isNull();
    }

    @Test
    void aFollowerShuttingDownLeavesTheIsrAndIsNotPreferred() {
        PartitionState s = new PartitionState(2, 4, List.of(2, 1, 3), 7);

        PartitionState next = Controller.decide(CLEAN, 0, s, Set.of(1, 2, 3), Set.of(1));

        assertThat(next).isEqualTo(new PartitionState(2, 4, List.of(2, 3), 7));
        assertThat(Controller.decide(CLEAN, 0, next, Set.of(1, 2, 3), Set.of(1))).isNull();
    }
}
