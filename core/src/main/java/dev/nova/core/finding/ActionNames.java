package dev.nova.core.finding;

import java.util.List;

/**
 * The name of every remediation Nova itself offers, defined once: the actions register under these
 * names ({@code POST /debug/nova/actions/<name>}) and findings list them as their remedies.
 *
 * <p>They live beside the finding model rather than beside the action SPI ({@code remediation})
 * because a finding names its remedies and {@code finding} is the bottom layer: {@code remediation}
 * depends on it (through {@code diagnosis}), so the other way round would be a package cycle.
 */
public final class ActionNames {
  private ActionNames() {}

  public static final String POOL_RESET = "pool-reset";
  public static final String POOL_RESIZE = "pool-resize";
  public static final String QUERY_CANCEL = "query-cancel";
  public static final String CONNECTION_CLOSE_LEAKED = "connection-close-leaked";
  public static final String CACHE_TRIM = "cache-trim";
  public static final String HEAP_DUMP = "heap-dump";
  public static final String THREAD_DUMP = "thread-dump";
  public static final String WS_CLOSE_IDLE = "ws-close-idle";
  public static final String CPU_PROFILE = "cpu-profile";
  public static final String DB_ABORT_BLOCKER = "db-abort-blocker";
  public static final String INCIDENT = "incident";

  /** Every name, in the contract's order. */
  public static List<String> all() {
    return List.of(
        POOL_RESET,
        POOL_RESIZE,
        QUERY_CANCEL,
        CONNECTION_CLOSE_LEAKED,
        CACHE_TRIM,
        HEAP_DUMP,
        THREAD_DUMP,
        WS_CLOSE_IDLE,
        CPU_PROFILE,
        DB_ABORT_BLOCKER,
        INCIDENT);
  }
}
