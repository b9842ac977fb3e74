package io.tributary.group;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupStateTest {

    @ParameterizedTest
    @CsvSource({
            "EMPTY, PREPARING_REBALANCE, true", "EMPTY, STABLE, false", "EMPTY, DEAD, true",
            "PREPARING_REBALANCE, COMPLETING_REBALANCE, true", "PREPARING_REBALANCE, STABLE, false",
            "COMPLETING_REBALANCE, STABLE, true", "COMPLETING_REBALANCE, PREPARING_REBALANCE, true",
            "STABLE, PREPARING_REBALANCE, true", "STABLE, COMPLETING_REBALANCE, false", "STABLE, EMPTY, true",
            "DEAD, EMPTY, false", "DEAD, PREPARING_REBALANCE, false"})
    void transitionsFollowTheStateMachine(GroupState from, GroupState to, boolean allowed) {
        assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
        if (allowed) {
            assertThat(from.checkTransition(to)).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> from.checkTransition(to)).isInstanceOf(IllegalStateException.class);
        }
    }
}
