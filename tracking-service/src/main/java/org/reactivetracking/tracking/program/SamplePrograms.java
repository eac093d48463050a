package org.reactivetracking.tracking.program;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.reactivetracking.model.Program;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The sample programs bundled with the service ({@code sample-programs.json}), seeded by {@code POST /cache/fill}. */
@Component
class SamplePrograms {

    private final List<Program> programs;

    SamplePrograms(JsonMapper json) {
        try (InputStream in = new ClassPathResource("sample-programs.json").getInputStream()) {
            programs = List.copyOf(json.readValue(in, new TypeReference<List<Program>>() {
            }));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("sample-programs.json missing from the service", ex);
        }
    }

    List<Program> programs() {
        return programs;
    }
}
