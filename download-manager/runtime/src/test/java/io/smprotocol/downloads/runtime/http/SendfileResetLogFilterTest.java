package io.smprotocol.downloads.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Only connection failures logged as errors by Vert.x' connection logger are lowered; everything else passes. */
class SendfileResetLogFilterTest {

    private final Logger logger = Logger.getLogger(SendfileResetLogFilter.CATEGORY);
    private final List<LogRecord> published = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            published.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level level;
    private Filter filter;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        filter = logger.getFilter();
        logger.setFilter(null);
        logger.setLevel(Level.INFO);
        logger.addHandler(handler);
        SendfileResetLogFilter.install();
    }

    @AfterEach
    void restore() {
        logger.removeHandler(handler);
        logger.setFilter(filter);
        logger.setLevel(level);
    }

    @Test
    void aConnectionResetIsNotAnError() {
        logger.log(Level.SEVERE, "Connection reset by peer", new IOException("Connection reset by peer"));
        logger.log(Level.SEVERE, "Broken pipe", new RuntimeException(new IOException("Broken pipe")));
        assertThat(published).isEmpty();
    }

    @Test
    void everythingElsePasses() {
        logger.log(Level.SEVERE, "no file", new NoSuchFileException("/srv/a.bin"));
        logger.log(Level.SEVERE, "a bug", new IllegalStateException("a bug"));
        logger.log(Level.SEVERE, "no cause");
        logger.log(Level.WARNING, "a warning with a reset", new IOException("Connection reset by peer"));
        assertThat(published).extracting(LogRecord::getMessage)
                .containsExactly("no file", "a bug", "no cause", "a warning with a reset");
    }

    @Test
    void aResetIsShownAtDebugWhenTheCategoryShowsDebug() {
        logger.setLevel(Level.FINE);
        logger.log(Level.SEVERE, "Connection reset by peer", new IOException("Connection reset by peer"));
        assertThat(published).singleElement().satisfies(r -> assertThat(r.getLevel()).isEqualTo(Level.FINE));
    }

    @Test
    void installingTwiceFiltersOnce() {
        Filter installed = logger.getFilter();
        SendfileResetLogFilter.install();
        assertThat(logger.getFilter()).isSameAs(installed).isInstanceOf(SendfileResetLogFilter.class);
    }
}
