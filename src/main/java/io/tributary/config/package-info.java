/**
 * Spring wiring: the {@code tributary.*} {@code @ConfigurationProperties} records and the
 * {@code @Configuration} classes that turn them into the core's plain settings and components.
 * Nothing below this package knows Spring.
 */
package io.tributary.config;
