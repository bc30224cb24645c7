package keyquota.api.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The console's language: English or Traditional Chinese, first from Accept-Language, then as chosen with
 * {@code ?lang=} and remembered in a cookie (also before signing in, and across sessions).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleWebConfiguration implements WebMvcConfigurer {

    static final String SESSION_COOKIE = "KEYQUOTA_SESSION";
    static final Locale TRADITIONAL_CHINESE = Locale.forLanguageTag("zh-TW");
    static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, TRADITIONAL_CHINESE);

    @Bean
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("keyquota-lang") {
            @Override
            public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
                super.setLocale(request, response, locale == null ? null : supported(locale));
            }
        };
        resolver.setCookieMaxAge(Duration.ofDays(365));
        resolver.setCookieSameSite("Lax");
        resolver.setDefaultLocaleFunction(ConsoleWebConfiguration::fromAcceptLanguage);
        return resolver;
    }

    /** The first of the browser's languages that the console speaks, in the browser's order of preference. */
    static Locale fromAcceptLanguage(HttpServletRequest request) {
        if (request.getHeader("Accept-Language") != null) {
            for (Locale locale : Collections.list(request.getLocales())) {
                if (locale.getLanguage().equals("zh") || locale.getLanguage().equals("en")) {
                    return supported(locale);
                }
            }
        }
        return Locale.ENGLISH;
    }

    /** Chinese in any script or region reads the Traditional Chinese console; every other language the English. */
    static Locale supported(Locale locale) {
        return locale.getLanguage().equals("zh") ? TRADITIONAL_CHINESE : Locale.ENGLISH;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor languageSwitch = new LocaleChangeInterceptor();
        languageSwitch.setParamName("lang");
        languageSwitch.setIgnoreInvalidLocale(true);
        registry.addInterceptor(languageSwitch).excludePathPatterns("/api/**");
    }
}
