package org.reactivetracking.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * deploy/stack.json as CloudFormation creates it for given parameter values: its conditions evaluated, the resources
 * and outputs whose condition is false left out, every {@code Fn::If} replaced by the branch it chooses and
 * {@code AWS::NoValue} removed. Other intrinsics ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}) stay as written,
 * so that assertions compare them as written.
 */
final class StackTemplate {

    /** {@code ${Name}} or {@code ${Resource.Attribute}}, not the literal {@code ${!...}}. */
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}.][^}.]*)[^}]*}");

    private final JsonNode template;
    private final Map<String, String> parameters;
    private final JsonNode deployed;

    private StackTemplate(JsonNode template, Map<String, String> parameters) {
        this.template = template;
        this.parameters = parameters;
        this.deployed = resolve(template);
        for (String section : List.of("Resources", "Outputs")) {
            List<String> notCreated = new ArrayList<>();
            template.get(section).properties().forEach(entry -> {
                if (entry.getValue().has("Condition") && !condition(entry.getValue().get("Condition").stringValue())) {
                    notCreated.add(entry.getKey());
                }
            });
            ((ObjectNode) deployed.get(section)).remove(notCreated);
        }
    }

    /** The template as written. */
    static JsonNode read() {
        return JsonMapper.shared().readTree(Path.of(System.getProperty("service-jars.dir"), "deploy", "stack.json")
                .toFile());
    }

    /** The stack deployed with these parameter values, every other parameter at its default. */
    static StackTemplate deployedWith(Map<String, String> parameters) {
        JsonNode template = read();
        parameters.keySet().forEach(name -> {
            if (!template.get("Parameters").has(name)) {
                throw new IllegalArgumentException("no parameter " + name);
            }
        });
        return new StackTemplate(template, parameters);
    }

    /** The resources created, by logical id. */
    JsonNode resources() {
        return deployed.get("Resources");
    }

    /** A created resource's properties; fails when the resource is not created. */
    JsonNode properties(String resource) {
        JsonNode found = resources().get(resource);
        if (found == null) {
            throw new AssertionError(resource + " is not created with " + parameters);
        }
        return found.path("Properties");
    }

    JsonNode outputs() {
        return deployed.get("Outputs");
    }

    /** The logical ids of the created resources of one type. */
    List<String> ofType(String type) {
        List<String> names = new ArrayList<>();
        resources().properties().forEach(entry -> {
            if (entry.getValue().get("Type").stringValue().equals(type)) {
                names.add(entry.getKey());
            }
        });
        return names;
    }

    /** A parameter's value: the one given, else its default. */
    String parameter(String name) {
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        JsonNode declared = template.get("Parameters").get(name);
        if (declared == null || !declared.has("Default")) {
            throw new IllegalArgumentException("no parameter " + name + " with a default");
        }
        return declared.get("Default").asString();
    }

    boolean condition(String name) {
        JsonNode condition = template.get("Conditions").get(name);
        if (condition == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return evaluate(condition);
    }

    private boolean evaluate(JsonNode condition) {
        if (condition.has("Fn::Equals")) {
            return value(condition.get("Fn::Equals").get(0)).equals(value(condition.get("Fn::Equals").get(1)));
        }
        if (condition.has("Fn::Not")) {
            return !evaluate(condition.get("Fn::Not").get(0));
        }
        if (condition.has("Fn::And") || condition.has("Fn::Or")) {
            boolean and = condition.has("Fn::And");
            for (JsonNode operand : condition.get(and ? "Fn::And" : "Fn::Or")) {
                if (evaluate(operand) != and) {
                    return !and;
                }
            }
            return and;
        }
        if (condition.has("Condition")) {
            return condition(condition.get("Condition").stringValue());
        }
        throw new IllegalArgumentException("cannot evaluate " + condition);
    }

    private String value(JsonNode operand) {
        return operand.has("Ref") ? parameter(operand.get("Ref").stringValue()) : operand.asString();
    }

    /** The names a node refers to: {@code Ref}, {@code Fn::GetAtt} and {@code Fn::Sub} variables. */
    static List<String> references(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isObject() && node.size() == 1 && node.has("Ref")) {
            names.add(node.get("Ref").stringValue());
        }
        else if (node.isObject() && node.size() == 1 && node.has("Fn::GetAtt")) {
            names.add(node.get("Fn::GetAtt").get(0).stringValue());
        }
        else if (node.isObject() && node.size() == 1 && node.has("Fn::Sub")) {
            JsonNode sub = node.get("Fn::Sub");
            Matcher variable = SUB_VARIABLE.matcher(sub.isArray() ? sub.get(0).stringValue() : sub.stringValue());
            while (variable.find()) {
                if (!sub.isArray() || !sub.get(1).has(variable.group(1))) {
                    names.add(variable.group(1));
                }
            }
            if (sub.isArray()) {
                names.addAll(references(sub.get(1)));
            }
        }
        else {
            node.forEach(child -> names.addAll(references(child)));
        }
        return names;
    }

    /** The conditions a node names: a resource's or output's {@code Condition}, {@code Fn::If}, {@code Condition}. */
    static List<String> conditionsNamed(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isObject()) {
            if (node.path("Condition").isString()) {
                names.add(node.get("Condition").stringValue());
            }
            if (node.size() == 1 && node.has("Fn::If")) {
                names.add(node.get("Fn::If").get(0).stringValue());
            }
        }
        node.forEach(child -> names.addAll(conditionsNamed(child)));
        return names;
    }

    /** The node as deployed, or null where it resolves to AWS::NoValue. */
    private JsonNode resolve(JsonNode node) {
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> {
                JsonNode resolved = resolve(item);
                if (resolved != null) {
                    array.add(resolved);
                }
            });
            return array;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1 && node.has("Fn::If")) {
            JsonNode choice = node.get("Fn::If");
            return resolve(choice.get(condition(choice.get(0).stringValue()) ? 1 : 2));
        }
        if (node.size() == 1 && "AWS::NoValue".equals(node.path("Ref").stringValue(null))) {
            return null;
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        node.properties().forEach(entry -> {
            JsonNode resolved = resolve(entry.getValue());
            if (resolved != null) {
                object.set(entry.getKey(), resolved);
            }
        });
        return object;
    }
}
