package io.tributary.api.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.service.ClusterService;
import org.springframework.http.MediaType;
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
    @Operation(operationId = "describeCluster", summary = "Describe the cluster", description = "Cluster id, controller and live brokers")
    @ApiResponse(responseCode = "200", description = "The cluster as this broker sees it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ClusterService.ClusterView.class),
                    examples = @ExampleObject(name = "one broker", value = "{\"clusterId\":\"fe66983f-ed4d-474f-b997-"
                            + "8c6f81fdadee\",\"controllerId\":1,\"brokerId\":1,\"brokers\":[{\"id\":1,"
                            + "\"host\":\"localhost\",\"port\":8080,\"replicationPort\":9093}]}")))
    @ApiResponse(responseCode = "406", description = "The Accept header allows no JSON (INVALID_REQUEST)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "INVALID_REQUEST", value = ProblemExamples.NOT_ACCEPTABLE)))
    public ClusterService.ClusterView describe() {
        return cluster.describe();
    }
}
