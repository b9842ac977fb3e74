/** Consumer-group benchmarks: commit rate, rebalance time, group consume against plain fetch. */
package io.tributary.bench.group;
