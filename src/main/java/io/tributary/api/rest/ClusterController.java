package io.tributary.api.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.service.ClusterService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The cluster: its id, its controller and its live brokers. */
@RestController
@RequestMapping("/api/v1/cluster")
@Tag(name = "Cluster", description = "Brokers and the controller")
public class ClusterController {

    private final ClusterService cluster;

    public ClusterController(ClusterService cluster) {
        this.cluster = cluster;
    }

    @GetMapping
    @Operation(summary = "Describe the cluster", description = "Cluster id, controller and live brokers")
    public ClusterService.ClusterView describe() {
        return cluster.describe();
    }
}
