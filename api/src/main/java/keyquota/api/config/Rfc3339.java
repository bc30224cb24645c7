package keyquota.api.config;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.Formatter;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;

import java.text.ParseException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Times the API takes, in bodies and in queries, are RFC 3339 strings with an offset ({@code 2026-12-01T08:00:00Z},
 * {@code 2026-12-01T16:00:00+08:00}), as the contract says. Jackson and Spring would also take a number (epoch
 * seconds in a body, milliseconds in a query): a client that sent one meant something else, so it is a wrong type.
 */
@Configuration(proxyBeanMethods = false)
class Rfc3339 implements WebMvcConfigurer {

    static Instant parse(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    @Bean
    JsonMapperBuilderCustomizer rfc3339Instants() {
        return builder -> builder.addModule(new SimpleModule("rfc3339").addDeserializer(Instant.class,
                new InstantDeserializer()));
    }

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addFormatterForFieldType(Instant.class, new Formatter<Instant>() {
            @Override
            public Instant parse(String text, Locale locale) throws ParseException {
                try {
                    return Rfc3339.parse(text);
                } catch (DateTimeParseException e) {
                    throw new ParseException("not an RFC 3339 time with an offset: " + text, e.getErrorIndex());
                }
            }

            @Override
            public String print(Instant instant, Locale locale) {
                return instant.toString();
            }
        });
    }

    private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {

        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            String text = parser.getString();
            try {
                return Rfc3339.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text,
                        "not an RFC 3339 time with an offset");
            }
        }
    }
}
