/**
 * Small state files written atomically (temp file, force, rename, force the directory), such as the
 * per-directory recovery-point checkpoint.
 */
package io.tributary.log.checkpoint;
