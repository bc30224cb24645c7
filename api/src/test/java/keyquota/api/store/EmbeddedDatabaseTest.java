package keyquota.api.store;

import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The embedded default keeps what it acknowledged: a commit is on disk before the service answers. */
class EmbeddedDatabaseTest extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    @Test
    void commitsAreDurable() {
        assumeFalse(StringUtils.hasText(environment.getProperty("spring.datasource.url")),
                "the run uses an external PostgreSQL, configured by its owner");
        assertThat(jdbc.queryForObject("SHOW fsync", String.class)).isEqualTo("on");
        assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
    }
}
