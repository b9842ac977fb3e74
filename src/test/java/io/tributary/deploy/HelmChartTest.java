package io.tributary.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart under {@code helm/tributary}: {@code helm lint --strict}, and {@code helm template}
 * with default and non-default values, every manifest checked against the Kubernetes model and
 * the things that make the cluster work asserted (ids from ordinals, probes, claims, budgets).
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "tributary");

    private static RenderedManifests render(UnaryOperator<TemplateCommand> values) {
        TemplateCommand template = new Helm(CHART).template().withName("tb").withNamespace("streams")
                .withKubeVersion("1.30.0");
        return RenderedManifests.parse(values.apply(template).call());
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void defaultValuesRenderAThreeBrokerClusterWithAThreeServerEnsemble() {
        RenderedManifests manifests = render(t -> t);
        assertThat(manifests.problems()).isEmpty();

        StatefulSet brokers = manifests.named(StatefulSet.class, "tb-tributary");
        assertThat(brokers.getSpec().getReplicas()).isEqualTo(3);
        assertThat(brokers.getSpec().getServiceName()).isEqualTo("tb-tributary-headless");
        Container broker = brokers.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = env(broker);
        assertThat(env).containsEntry("TRIBUTARY_BROKER_ID_FROM_ORDINAL", "true")
                .containsEntry("TRIBUTARY_BROKER_ID_OFFSET", "0")
                .containsEntry("TRIBUTARY_ADVERTISED_HOST", "$(POD_NAME).tb-tributary-headless.$(POD_NAMESPACE).svc.cluster.local")
                .containsEntry("TRIBUTARY_DATA_DIR", "/data")
                .containsEntry("TRIBUTARY_REPLICATION_BIND_HOST", "0.0.0.0");
        assertThat(env.get("TRIBUTARY_ZOOKEEPER_CONNECT").split(",")).containsExactly(
                "tb-tributary-zookeeper-0.tb-tributary-zookeeper-headless.streams.svc.cluster.local:2181",
                "tb-tributary-zookeeper-1.tb-tributary-zookeeper-headless.streams.svc.cluster.local:2181",
                "tb-tributary-zookeeper-2.tb-tributary-zookeeper-headless.streams.svc.cluster.local:2181");
        assertThat(broker.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(broker.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(broker.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(broker.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("http:8080", "replication:9093");
        assertThat(brokers.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
            assertThat(claim.getMetadata().getName()).isEqualTo("data");
            assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi");
        });
        assertThat(brokers.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(brokers.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);

        Service headless = manifests.named(Service.class, "tb-tributary-headless");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(manifests.named(Service.class, "tb-tributary").getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));

        PodDisruptionBudget budget = manifests.named(PodDisruptionBudget.class, "tb-tributary");
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(brokers.getSpec().getSelector().getMatchLabels());

        StatefulSet zookeeper = manifests.named(StatefulSet.class, "tb-tributary-zookeeper");
        assertThat(zookeeper.getSpec().getReplicas()).isEqualTo(3);
        Container zk = zookeeper.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(zk).get("ZOO_SERVERS").split(" ")).hasSize(3)
                .allMatch(s -> s.matches("server\\.[123]=tb-tributary-zookeeper-[012]\\..*:2888:3888;2181"));
        assertThat(zk.getImage()).isEqualTo("zookeeper:3.9.5");
        manifests.named(PodDisruptionBudget.class, "tb-tributary-zookeeper");

        assertThat(manifests.ofType(Ingress.class)).isEmpty();
        assertThat(manifests.custom("ServiceMonitor")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void brokerSettingsAreRenderedIntoApplicationYaml() {
        RenderedManifests manifests = render(t -> t.set("broker.config.log.retention-ms", "3d")
                .set("zookeeper.sessionTimeout", "30s"));
        ConfigMap config = manifests.named(ConfigMap.class, "tb-tributary-config");
        Map<String, Object> yaml = new Yaml().load(config.getData().get("application.yml"));
        Map<String, Object> tributary = (Map<String, Object>) yaml.get("tributary");
        assertThat(((Map<String, Object>) tributary.get("log")).get("retention-ms")).isEqualTo("3d");
        assertThat(((Map<String, Object>) tributary.get("log")).get("flush-policy")).isEqualTo("on-ack");
        assertThat(((Map<String, Object>) tributary.get("zookeeper")).get("session-timeout")).isEqualTo("30s");
        assertThat(((Map<String, Object>) tributary.get("replication")).get("port")).isEqualTo(9093);
        assertThat(((Map<String, Object>) yaml.get("server")).get("port")).isEqualTo(8080);
        String checksum = manifests.named(StatefulSet.class, "tb-tributary").getSpec().getTemplate().getMetadata()
                .getAnnotations().get("checksum/config");
        String defaultChecksum = render(t -> t).named(StatefulSet.class, "tb-tributary").getSpec().getTemplate()
                .getMetadata().getAnnotations().get("checksum/config");
        assertThat(checksum).as("a config change rolls the brokers").isNotEqualTo(defaultChecksum);
    }

    @Test
    void nonDefaultValuesRenderAndStayValid() {
        RenderedManifests manifests = render(t -> t
                .set("replicaCount", 5)
                .set("brokerIdOffset", 1)
                .set("zookeeper.enabled", false)
                .set("zookeeper.external.connect", "zk-a:2181,zk-b:2181/tributary")
                .set("persistence.enabled", false)
                .set("podAntiAffinity", "hard")
                .set("ingress.enabled", true)
                .set("ingress.className", "nginx")
                .set("serviceMonitor.enabled", true)
                .set("tolerations[0].key", "dedicated")
                .set("tolerations[0].operator", "Exists"));
        assertThat(manifests.problems()).isEmpty();

        StatefulSet brokers = manifests.named(StatefulSet.class, "tb-tributary");
        assertThat(brokers.getSpec().getReplicas()).isEqualTo(5);
        assertThat(brokers.getSpec().getVolumeClaimTemplates()).isEmpty();
        assertThat(brokers.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getName().equals("data") && v.getEmptyDir() != null).isTrue());
        Container broker = brokers.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(broker)).containsEntry("TRIBUTARY_ZOOKEEPER_CONNECT", "zk-a:2181,zk-b:2181/tributary")
                .containsEntry("TRIBUTARY_BROKER_ID_OFFSET", "1");
        assertThat(brokers.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(brokers.getSpec().getTemplate().getSpec().getTolerations()).singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(manifests.ofType(StatefulSet.class)).hasSize(1);

        Ingress ingress = manifests.named(Ingress.class, "tb-tributary");
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName())
                .isEqualTo("tb-tributary");
        GenericKubernetesResource monitor = manifests.custom("ServiceMonitor").orElseThrow();
        assertThat(monitor.get("spec", "endpoints", 0, "path").toString()).isEqualTo("/actuator/prometheus");
    }

    @Test
    void badValuesAreRefusedByTheSchema() {
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 0))).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> render(t -> t.set("replicas", 3))).hasMessageContaining("replicas");
        assertThatThrownBy(() -> render(t -> t.set("podAntiAffinity", "sometimes"))).hasMessageContaining("podAntiAffinity");
        assertThatThrownBy(() -> render(t -> t.set("zookeeper.enabled", false)))
                .hasMessageContaining("zookeeper.external.connect is required");
    }

    @Test
    void everyTemplateHasANamespaceAndTheCommonLabels() {
        RenderedManifests manifests = render(t -> t.set("serviceMonitor.enabled", true).set("ingress.enabled", true));
        assertThat(manifests.all()).allSatisfy(r -> {
            assertThat(r.getMetadata().getNamespace()).as(r.getKind()).isEqualTo("streams");
            assertThat(r.getMetadata().getLabels()).as(r.getKind())
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsKey("helm.sh/chart");
        });
        assertThat(manifests.all()).extracting(r -> r.getKind()).contains("StatefulSet", "Service", "ConfigMap",
                "PodDisruptionBudget", "ServiceAccount", "Ingress", "ServiceMonitor");
        assertThat(List.copyOf(manifests.all())).hasSizeGreaterThan(8);
    }
}
