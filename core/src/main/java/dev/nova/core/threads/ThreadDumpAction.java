package dev.nova.core.threads;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.StackFrames;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionException;
import dev.nova.core.remediation.ActionRequest;
import dev.nova.core.remediation.Param;
import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.PlatformManagedObject;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code thread-dump}: every thread grouped by identical stack, most common group first, with
 * states, the lock each waits on and who owns it. The runbook's {@code sort | uniq -c} over a
 * goroutine dump, for the JVM.
 *
 * <p>On a JDK with virtual threads (21+), the JDK's own JSON thread dump is read as well, so that
 * virtual threads appear in groups of their own (marked {@code virtual}); platform threads come
 * from {@link ThreadMXBean}, which alone knows locks.
 */
public final class ThreadDumpAction implements Action {
  static final Param<Integer> MAX_DEPTH =
      Param.integer("maxDepth", 64, 1, 1024, "stack frames kept per group");
  static final Param<Boolean> VIRTUAL =
      Param.bool("virtual", true, "include virtual threads where the JDK has them");
  private static final int NAMES_PER_GROUP = 10;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final java.util.function.LongFunction<String> creationSite;

  /** A dump without creation sites. */
  public ThreadDumpAction() {
    this(id -> null);
  }

  /** A dump that names, for each group, where its threads were started (when that is known). */
  public ThreadDumpAction(java.util.function.LongFunction<String> creationSite) {
    this.creationSite = creationSite;
  }

  @Override
  public String name() {
    return ActionNames.THREAD_DUMP;
  }

  @Override
  public String description() {
    return "answers a thread dump grouped by identical stacks, most common first, with lock owners";
  }

  @Override
  public List<Param<?>> params() {
    return List.of(MAX_DEPTH, VIRTUAL);
  }

  private static final class Group {
    final List<String> stack;
    final boolean virtual;
    int count;
    final Map<String, Integer> states = new TreeMap<>();
    final List<String> names = new ArrayList<>();
    final Map<String, Object> waitingOn = new LinkedHashMap<>();
    final Set<String> holds = new java.util.TreeSet<>();
    final Map<String, Integer> sites = new TreeMap<>();
    final List<String> deadlocked = new ArrayList<>();

    Group(List<String> stack, boolean virtual) {
      this.stack = stack;
      this.virtual = virtual;
    }

    void add(String name, String state) {
      count++;
      states.merge(state, 1, Integer::sum);
      if (names.size() < NAMES_PER_GROUP) {
        names.add(name);
      }
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", count);
      m.put("virtual", virtual);
      m.put("states", states);
      m.put("threads", names);
      if (count > names.size()) {
        m.put("threadsNotShown", count - names.size());
      }
      if (!waitingOn.isEmpty()) {
        m.put("waitingOn", waitingOn);
      }
      if (!holds.isEmpty()) {
        m.put("holds", new ArrayList<>(holds));
      }
      if (!sites.isEmpty()) {
        m.put("startedAt", sites);
      }
      if (!deadlocked.isEmpty()) {
        m.put("deadlocked", deadlocked);
      }
      m.put("stack", stack);
      return m;
    }
  }

  @Override
  public Map<String, Object> run(ActionRequest request) throws ActionException {
    int depth = request.get(MAX_DEPTH);
    boolean wantVirtual = request.get(VIRTUAL);
    if (request.dryRun()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("wouldDump", "all threads, grouped by identical stacks");
      m.put("liveThreads", threads.getThreadCount());
      m.put("virtualThreadsSupported", Runtime.version().feature() >= 21);
      return m;
    }
    long started = System.nanoTime();
    long[] deadlocked = threads.findDeadlockedThreads();
    Set<Long> inCycle = new HashSet<>();
    if (deadlocked != null) {
      for (long id : deadlocked) {
        inCycle.add(id);
      }
    }
    ThreadInfo[] infos =
        threads.dumpAllThreads(
            threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported());
    Map<String, Group> groups = new LinkedHashMap<>();
    Set<Long> platformIds = new HashSet<>();
    for (ThreadInfo ti : infos) {
      if (ti == null) {
        continue;
      }
      platformIds.add(ti.getThreadId());
      List<String> stack = StackFrames.format(ti.getStackTrace(), depth);
      Group g = groups.computeIfAbsent("p" + stack, k -> new Group(stack, false));
      g.add(ti.getThreadName(), ti.getThreadState().name());
      if (inCycle.contains(ti.getThreadId()) && g.deadlocked.size() < NAMES_PER_GROUP) {
        g.deadlocked.add(ti.getThreadName());
      }
      String site = creationSite.apply(ti.getThreadId());
      if (site != null && (g.sites.size() < 4 || g.sites.containsKey(site))) {
        g.sites.merge(site, 1, Integer::sum);
      }
      LockInfo lock = ti.getLockInfo();
      if (lock != null && !g.waitingOn.containsKey(lockName(lock))) {
        Map<String, Object> owner = new LinkedHashMap<>();
        if (ti.getLockOwnerName() != null) {
          owner.put("ownerThread", ti.getLockOwnerName());
          owner.put("ownerId", ti.getLockOwnerId());
        }
        if (g.waitingOn.size() < 8) {
          g.waitingOn.put(lockName(lock), owner);
        }
      }
      for (MonitorInfo mi : ti.getLockedMonitors()) {
        if (g.holds.size() < 8) {
          g.holds.add(lockName(mi));
        }
      }
      for (LockInfo li : ti.getLockedSynchronizers()) {
        if (g.holds.size() < 8) {
          g.holds.add(lockName(li));
        }
      }
    }
    String virtualNote;
    int virtualCount = 0;
    if (!wantVirtual) {
      virtualNote = "not requested";
    } else if (Runtime.version().feature() < 21) {
      virtualNote = "this JDK has no virtual threads";
    } else {
      try {
        virtualCount = addVirtualThreads(groups, platformIds, depth);
        virtualNote = "included";
      } catch (Exception | LinkageError e) {
        virtualNote = "could not be read: " + e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
    List<Group> sorted = new ArrayList<>(groups.values());
    sorted.sort(Comparator.comparingInt((Group g) -> -g.count));
    List<Map<String, Object>> out = new ArrayList<>(sorted.size());
    for (Group g : sorted) {
      out.add(g.toMap());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("platformThreads", platformIds.size());
    m.put("virtualThreads", virtualCount);
    m.put("virtualThreadsNote", virtualNote);
    m.put("groups", out.size());
    m.put("deadlockedThreads", deadlocked == null ? 0 : deadlocked.length);
    m.put("tookMs", (System.nanoTime() - started) / 1_000_000);
    m.put("threadGroups", out);
    return m;
  }

  private static String lockName(LockInfo l) {
    return l.getClassName() + "@" + Integer.toHexString(l.getIdentityHashCode());
  }

  /**
   * Reads the JDK 21+ JSON thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}) and adds the
   * threads it lists that {@link ThreadMXBean} does not know: the virtual ones. The file goes to a
   * fresh owner-only directory and is deleted at once.
   */
  private int addVirtualThreads(Map<String, Group> groups, Set<Long> platformIds, int depth)
      throws Exception {
    @SuppressWarnings("unchecked")
    Class<? extends PlatformManagedObject> beanType =
        (Class<? extends PlatformManagedObject>)
            Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
    Object bean = ManagementFactory.getPlatformMXBean(beanType);
    Class<?> formatType =
        Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
    Object json = null;
    for (Object c : formatType.getEnumConstants()) {
      if (((Enum<?>) c).name().equals("JSON")) {
        json = c;
      }
    }
    Method dump = beanType.getMethod("dumpThreads", String.class, formatType);
    Path dir =
        Files.createTempDirectory(
            "nova-threads",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path file = dir.resolve("threads.json");
    try {
      dump.invoke(bean, file.toString(), json);
      return readVirtual(file, groups, platformIds, depth);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private static int readVirtual(
      Path file, Map<String, Group> groups, Set<Long> platformIds, int depth) throws IOException {
    int count = 0;
    try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
      // Walk every object holding "tid" and "stack"; the container nesting varies by JDK.
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && "threads".equals(p.currentName())) {
          if (p.nextToken() != JsonToken.START_ARRAY) {
            continue;
          }
          while (p.nextToken() == JsonToken.START_OBJECT) {
            long tid = -1;
            String name = "";
            String state = "UNKNOWN";
            List<String> stack = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              JsonToken t = p.nextToken();
              switch (field) {
                case "tid" -> tid = Long.parseLong(p.getValueAsString("-1"));
                case "name" -> name = p.getValueAsString("");
                case "state" -> state = p.getValueAsString("UNKNOWN");
                case "stack" -> {
                  while (p.nextToken() == JsonToken.VALUE_STRING) {
                    if (stack.size() < depth) {
                      stack.add(StackFrames.normalize(p.getText()));
                    }
                  }
                }
                default -> {
                  if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    p.skipChildren();
                  }
                }
              }
            }
            if (tid >= 0 && !platformIds.contains(tid)) {
              count++;
              List<String> frames = stack;
              Group g = groups.computeIfAbsent("v" + frames, k -> new Group(frames, true));
              g.add(name.isEmpty() ? "virtual#" + tid : name, state);
            }
          }
        }
      }
    }
    return count;
  }
}
