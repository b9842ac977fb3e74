/** Actuator health indicators: how the broker reports its own state to probes and operators. */
package io.tributary.api.health;
