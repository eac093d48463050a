package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * deploy/stack.json, checked against the CloudFormation resource specification (npm {@code @aws-cdk/cfnspec},
 * installed on first use like the engines) and against what we promise of it: least-privilege roles, the admin API
 * not routed publicly, no secret in clear, and names that line up with the task definitions.
 */
class StackTemplateTests {

    private static final String CFNSPEC_VERSION = "2.72.1";
    private static final Path ROOT = Path.of(System.getProperty("service-jars.dir"));
    private static final JsonMapper JSON = JsonMapper.shared();
    private static JsonNode stack;
    private static JsonNode spec;

    @BeforeAll
    static void load() throws Exception {
        stack = JSON.readTree(ROOT.resolve("deploy/stack.json").toFile());
        Path specFile = ROOT.resolve(".local-engines/cfnspec-" + CFNSPEC_VERSION
                + "/node_modules/@aws-cdk/cfnspec/spec/specification.json");
        if (!Files.isRegularFile(specFile) && Tools.onPath("npm")) {
            Tools.run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", "--ignore-scripts", "--prefix",
                    ROOT.resolve(".local-engines/cfnspec-" + CFNSPEC_VERSION).toString(),
                    "@aws-cdk/cfnspec@" + CFNSPEC_VERSION), Map.of());
        }
        spec = Files.isRegularFile(specFile) ? JSON.readTree(specFile.toFile()) : null;
    }

    @Test
    void usesOnlyResourceTypesAndPropertiesOfTheSpecification() {
        assumeTrue(spec != null, "the CloudFormation specification could not be installed with npm");
        List<String> problems = new ArrayList<>();
        stack.get("Resources").properties().forEach(resource -> {
            String type = resource.getValue().get("Type").stringValue();
            JsonNode resourceSpec = spec.get("ResourceTypes").get(type);
            if (resourceSpec == null) {
                problems.add(resource.getKey() + ": unknown type " + type);
                return;
            }
            check(resource.getKey(), type, resourceSpec.get("Properties"),
                    resource.getValue().path("Properties"), problems);
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void refersOnlyToResourcesAndParametersItDeclares() {
        Set<String> declared = new HashSet<>();
        stack.get("Resources").properties().forEach(entry -> declared.add(entry.getKey()));
        stack.get("Parameters").properties().forEach(entry -> declared.add(entry.getKey()));
        List<String> references = new ArrayList<>();
        collectReferences(stack.get("Resources"), references);
        collectReferences(stack.get("Outputs"), references);

        assertThat(references).isNotEmpty()
                .allSatisfy(name -> assertThat(declared.contains(name) || name.startsWith("AWS::")).as(name).isTrue());
    }

    @Test
    void grantsEachServiceOnlyWhatItNeeds() {
        for (String role : List.of("TrackingTaskRole", "ConsumerTaskRole", "UpdaterTaskRole", "ExecutionRole")) {
            for (JsonNode policy : stack.get("Resources").get(role).get("Properties").path("Policies")) {
                for (JsonNode statement : policy.get("PolicyDocument").get("Statement")) {
                    List<String> actions = new ArrayList<>();
                    statement.get("Action").forEach(action -> actions.add(action.stringValue()));
                    assertThat(actions).as(role).noneMatch(action -> action.contains("*"));
                    boolean onData = actions.stream().anyMatch(action -> action.startsWith("kinesis:")
                            || action.startsWith("dynamodb:") || action.startsWith("secretsmanager:"));
                    if (onData) {
                        assertThat(statement.get("Resource").isString()).as(role + " " + actions + " on *").isFalse();
                    }
                }
            }
        }
        String tracking = stack.get("Resources").get("TrackingTaskRole").toString();
        assertThat(tracking).contains("kinesis:PutRecords").doesNotContain("dynamodb:").doesNotContain("GetRecords");
        String updater = stack.get("Resources").get("UpdaterTaskRole").toString();
        assertThat(updater).doesNotContain("EventStream").doesNotContain("EventsTable").doesNotContain("PutRecord");
    }

    @Test
    void routesOnlyThePublicApiAndKeepsSecretsOutOfTheTemplate() {
        JsonNode resources = stack.get("Resources");
        assertThat(resources.get("Listener").get("Properties").get("DefaultActions").get(0).get("Type").stringValue())
                .isEqualTo("fixed-response");
        assertThat(resources.get("PublicApiRule").get("Properties").get("Conditions").get(0).get("PathPatternConfig")
                .get("Values").toString()).isEqualTo("[\"/event/*\",\"/health/check\"]");
        assertThat(resources.get("TrackingTargetGroup").get("Properties").get("HealthCheckPath").stringValue())
                .isEqualTo("/health/check");
        JsonNode redis = resources.get("Redis").get("Properties");
        assertThat(redis.get("AuthToken").toString()).contains("resolve:secretsmanager");
        assertThat(redis.get("TransitEncryptionEnabled").booleanValue()).isTrue();
        assertThat(redis.get("MultiAZEnabled").booleanValue()).isTrue();
        resources.properties().stream().filter(entry -> entry.getValue().get("Type").stringValue()
                .equals("AWS::DynamoDB::Table")).forEach(table -> {
                    JsonNode properties = table.getValue().get("Properties");
                    assertThat(properties.get("BillingMode").stringValue()).isEqualTo("PAY_PER_REQUEST");
                    assertThat(properties.get("PointInTimeRecoverySpecification").get("PointInTimeRecoveryEnabled")
                            .booleanValue()).as(table.getKey()).isTrue();
                });
        // dead letters are kept for a while, not forever: the consumer stamps expiresAt
        JsonNode deadLetterTtl = resources.get("DeadLetterTable").get("Properties").get("TimeToLiveSpecification");
        assertThat(deadLetterTtl.get("AttributeName").stringValue()).isEqualTo("expiresAt");
        assertThat(deadLetterTtl.get("Enabled").booleanValue()).isTrue();
    }

    @Test
    void namesWhatTheTaskDefinitionsExpect() throws IOException {
        String template = stack.toString();
        for (String service : List.of("tracking-service", "kinesis-consumer", "redis-updater")) {
            JsonNode task = JSON.readTree(ROOT.resolve("deploy/task-definitions/" + service + ".json").toFile());
            JsonNode container = task.get("containerDefinitions").get(0);
            assertThat(template).contains("${Name}-" + service).contains("/${Name}/" + service);
            for (JsonNode variable : container.get("environment")) {
                String name = variable.get("name").stringValue();
                String value = variable.get("value").stringValue();
                if (name.endsWith("_STREAM") || name.endsWith("_TABLE")) {
                    assertThat(template).as(service + " " + name)
                            .contains("${Name}-" + value.substring("reactive-tracking-".length()));
                }
            }
            for (JsonNode secret : container.path("secrets")) {
                String secretName = secret.get("valueFrom").stringValue().replaceAll(".*:secret:reactive-tracking/", "");
                assertThat(template).as(service + " secret").contains("${Name}/" + secretName);
            }
        }
    }

    private static void check(String path, String resourceType, JsonNode propertySpecs, JsonNode values,
            List<String> problems) {
        if (propertySpecs == null) {
            return;
        }
        propertySpecs.properties().forEach(property -> {
            if (property.getValue().path("Required").booleanValue() && !values.has(property.getKey())) {
                problems.add(path + ": missing required " + property.getKey());
            }
        });
        values.properties().forEach(value -> {
            JsonNode propertySpec = propertySpecs.get(value.getKey());
            if (propertySpec == null) {
                problems.add(path + ": unknown property " + value.getKey());
                return;
            }
            String where = path + "." + value.getKey();
            if (isIntrinsic(value.getValue())) {
                return;
            }
            String type = propertySpec.has("Type") ? propertySpec.get("Type").stringValue() : null;
            if ("List".equals(type) && propertySpec.has("ItemType") && value.getValue().isArray()) {
                JsonNode itemSpec = spec.get("PropertyTypes").get(resourceType + "." + propertySpec.get("ItemType")
                        .stringValue());
                for (JsonNode item : value.getValue()) {
                    if (item.isObject() && !isIntrinsic(item) && itemSpec != null) {
                        check(where, resourceType, itemSpec.get("Properties"), item, problems);
                    }
                }
            }
            else if (type != null && !"List".equals(type) && !"Map".equals(type) && value.getValue().isObject()) {
                JsonNode nested = spec.get("PropertyTypes").get(resourceType + "." + type);
                if (nested != null) {
                    check(where, resourceType, nested.get("Properties"), value.getValue(), problems);
                }
            }
        });
    }

    private static boolean isIntrinsic(JsonNode value) {
        if (!value.isObject() || value.size() != 1) {
            return false;
        }
        String key = value.propertyNames().iterator().next();
        return key.equals("Ref") || key.startsWith("Fn::");
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (entry.getKey().equals("Ref")) {
                    references.add(entry.getValue().stringValue());
                }
                else if (entry.getKey().equals("Fn::GetAtt")) {
                    references.add(entry.getValue().get(0).stringValue());
                }
                else {
                    collectReferences(entry.getValue(), references);
                }
            });
        }
        else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, references));
        }
    }
}
