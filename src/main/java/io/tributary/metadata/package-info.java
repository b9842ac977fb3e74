/**
 * The broker's relational metadata in JPA (H2 by default): the topic catalogue mirrored from
 * cluster state and the offset-commit audit trail. Entities never leave
 * this package; callers get plain records. The only package that imports JPA.
 */
package io.tributary.metadata;
