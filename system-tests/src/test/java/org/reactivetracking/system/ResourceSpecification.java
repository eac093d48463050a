package org.reactivetracking.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CloudFormation resource specification (npm {@code @aws-cdk/cfnspec}, installed on first use like the engines),
 * and what a template does that it does not allow: unknown types, properties, nested properties and attributes, and
 * missing required properties. Both branches of every {@code Fn::If} are checked, as either may be deployed.
 */
final class ResourceSpecification {

    static final String VERSION = "2.72.1";

    private final JsonNode spec;

    private ResourceSpecification(JsonNode spec) {
        this.spec = spec;
    }

    /** The specification, installed with npm when missing; null when it cannot be installed. */
    static ResourceSpecification load() throws Exception {
        Path root = Path.of(System.getProperty("service-jars.dir"), ".local-engines", "cfnspec-" + VERSION);
        Path file = root.resolve("node_modules/@aws-cdk/cfnspec/spec/specification.json");
        if (!Files.isRegularFile(file) && Tools.onPath("npm")) {
            Tools.run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", "--ignore-scripts", "--prefix",
                    root.toString(), "@aws-cdk/cfnspec@" + VERSION), Map.of());
        }
        return Files.isRegularFile(file) ? new ResourceSpecification(JsonMapper.shared().readTree(file.toFile())) : null;
    }

    /** A resource type's specification, or a missing node. */
    JsonNode resourceType(String type) {
        return spec.get("ResourceTypes").path(type);
    }

    List<String> problems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        template.get("Resources").properties().forEach(resource -> {
            String type = resource.getValue().get("Type").stringValue();
            JsonNode resourceSpec = resourceType(type);
            if (resourceSpec.isMissingNode()) {
                problems.add(resource.getKey() + ": unknown type " + type);
                return;
            }
            check(resource.getKey(), type, resourceSpec.get("Properties"), resource.getValue().path("Properties"),
                    problems);
        });
        attributes(template, template, problems);
        return problems;
    }

    private void check(String path, String resourceType, JsonNode propertySpecs, JsonNode values,
            List<String> problems) {
        if (propertySpecs == null) {
            return;
        }
        propertySpecs.properties().forEach(property -> {
            if (property.getValue().path("Required").isBoolean() && property.getValue().get("Required").booleanValue()
                    && !values.has(property.getKey())) {
                problems.add(path + ": missing required " + property.getKey());
            }
        });
        values.properties().forEach(value -> {
            JsonNode propertySpec = propertySpecs.get(value.getKey());
            if (propertySpec == null) {
                problems.add(path + ": unknown property " + value.getKey());
                return;
            }
            for (JsonNode branch : branches(value.getValue())) {
                checkValue(path + "." + value.getKey(), resourceType, propertySpec, branch, problems);
            }
        });
    }

    private void checkValue(String where, String resourceType, JsonNode propertySpec, JsonNode value,
            List<String> problems) {
        String type = propertySpec.has("Type") ? propertySpec.get("Type").stringValue() : null;
        if ("List".equals(type) && propertySpec.has("ItemType") && value.isArray()) {
            JsonNode itemSpec = spec.get("PropertyTypes").get(resourceType + "." + propertySpec.get("ItemType")
                    .stringValue());
            for (JsonNode item : value) {
                for (JsonNode branch : branches(item)) {
                    if (branch.isObject() && !isIntrinsic(branch) && itemSpec != null) {
                        check(where, resourceType, itemSpec.get("Properties"), branch, problems);
                    }
                }
            }
        }
        else if (type != null && !"List".equals(type) && !"Map".equals(type) && value.isObject()
                && !isIntrinsic(value)) {
            JsonNode nested = spec.get("PropertyTypes").get(resourceType + "." + type);
            if (nested != null) {
                check(where, resourceType, nested.get("Properties"), value, problems);
            }
        }
    }

    /** Every {@code Fn::GetAtt} names an attribute its resource's type has. */
    private void attributes(JsonNode template, JsonNode node, List<String> problems) {
        if (node.isObject() && node.has("Fn::GetAtt")) {
            String resource = node.get("Fn::GetAtt").get(0).stringValue();
            String attribute = node.get("Fn::GetAtt").get(1).stringValue();
            JsonNode declared = template.get("Resources").path(resource);
            if (!resourceType(declared.path("Type").stringValue("")).path("Attributes").has(attribute)) {
                problems.add(resource + ": no attribute " + attribute);
            }
        }
        node.forEach(child -> attributes(template, child, problems));
    }

    /** The values a property may take: both branches of an {@code Fn::If}, nothing for AWS::NoValue. */
    private static List<JsonNode> branches(JsonNode value) {
        if (value.isObject() && value.size() == 1 && value.has("Fn::If")) {
            List<JsonNode> both = new ArrayList<>(branches(value.get("Fn::If").get(1)));
            both.addAll(branches(value.get("Fn::If").get(2)));
            return both;
        }
        if (value.isObject() && value.size() == 1 && "AWS::NoValue".equals(value.path("Ref").stringValue(null))) {
            return List.of();
        }
        return isIntrinsic(value) ? List.of() : List.of(value);
    }

    private static boolean isIntrinsic(JsonNode value) {
        if (!value.isObject() || value.size() != 1) {
            return false;
        }
        String key = value.propertyNames().iterator().next();
        return key.equals("Ref") || key.startsWith("Fn::");
    }
}
