package io.tributary.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The output of {@code helm template} parsed into the fabric8 Kubernetes model, with a check that
 * every document is a kind the model knows and carries no field the model does not know (a
 * misspelt or misplaced field lands in a model object's {@code additionalProperties}, which
 * Kubernetes would reject or, worse, silently ignore).
 */
final class RenderedManifests {

    /** Kinds outside the core model that the chart may render, by apiVersion/kind. */
    private static final Set<String> CUSTOM_KINDS = Set.of("monitoring.coreos.com/v1/ServiceMonitor");
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private final List<HasMetadata> resources;

    private RenderedManifests(List<HasMetadata> resources) {
        this.resources = resources;
    }

    static RenderedManifests parse(String rendered) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(rendered)) {
            String yaml = document.lines().filter(l -> !l.startsWith("# Source:")).reduce("", (a, b) -> a + b + "\n");
            if (yaml.isBlank()) {
                continue;
            }
            Object parsed = serialization.unmarshal(yaml);
            if (!(parsed instanceof HasMetadata resource)) {
                throw new AssertionError("Not a Kubernetes resource:\n" + yaml);
            }
            resources.add(resource);
        }
        return new RenderedManifests(resources);
    }

    List<HasMetadata> all() {
        return resources;
    }

    <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return ofType(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " named " + name + " in "
                        + resources.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList()));
    }

    Optional<GenericKubernetesResource> custom(String kind) {
        return ofType(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).findFirst();
    }

    /** Every problem found: kinds the model does not know, and fields it does not know, with their path. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (HasMetadata resource : resources) {
            String where = resource.getKind() + "/" + resource.getMetadata().getName();
            if (resource instanceof GenericKubernetesResource) {
                if (!CUSTOM_KINDS.contains(resource.getApiVersion() + "/" + resource.getKind())) {
                    problems.add(where + ": unknown kind " + resource.getApiVersion() + "/" + resource.getKind());
                }
                continue;
            }
            unknownFields(resource, where, problems, new IdentityHashMap<>());
        }
        return problems;
    }

    private static void unknownFields(Object node, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown fields " + extra.keySet());
                }
            } else {
                unknownFields(value, path + "." + decapitalize(getter.getName().substring(3)), problems, seen);
            }
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
