package dev.nova.core.cache;

import dev.nova.core.finding.ActionNames;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionException;
import dev.nova.core.remediation.ActionRequest;
import dev.nova.core.remediation.Param;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cache-trim}: the runbook's "cache bloat" remedy without flushing a shared Redis. Keeps
 * {@code fraction} of each chosen cache's entries; answers sizes and heap before and after.
 */
public final class CacheTrimAction implements Action {
  static final Param<String> CACHE =
      Param.name("cache", null, "the cache to trim; default all registered caches").optional();
  static final Param<Double> FRACTION =
      Param.fraction("fraction", 0.5, "share of entries to keep: 0 empties, 1 keeps all");

  private final CacheRegistry registry;

  public CacheTrimAction(CacheRegistry registry) {
    this.registry = registry;
  }

  @Override
  public String name() {
    return ActionNames.CACHE_TRIM;
  }

  @Override
  public String description() {
    return "trims registered and discovered caches, keeping a fraction of their entries";
  }

  @Override
  public List<Param<?>> params() {
    return List.of(CACHE, FRACTION);
  }

  @Override
  public Map<String, Object> run(ActionRequest r) throws ActionException {
    List<TrimmableCache> chosen;
    if (r.get(CACHE) == null) {
      chosen = registry.caches();
      if (chosen.isEmpty()) {
        throw new ActionException(
            404, "no cache is registered; register one with nova.caches() or use Caffeine");
      }
    } else {
      TrimmableCache c = registry.find(r.get(CACHE));
      if (c == null) {
        List<String> names = new ArrayList<>();
        for (TrimmableCache x : registry.caches()) {
          names.add(x.name());
        }
        throw new ActionException(404, "no cache named '" + r.get(CACHE) + "'; caches: " + names);
      }
      chosen = List.of(c);
    }
    double keep = r.get(FRACTION);
    long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    List<Object> results = new ArrayList<>();
    for (TrimmableCache c : chosen) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cache", c.name());
      long before = c.size();
      m.put("sizeBefore", before);
      if (r.dryRun()) {
        m.put("wouldRemove", before - (long) Math.ceil(before * keep));
      } else {
        m.put("removed", c.trim(keep));
        m.put("sizeAfter", c.size());
      }
      results.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("keepFraction", keep);
    out.put("caches", results);
    out.put("heapUsedBefore", heapBefore);
    if (!r.dryRun()) {
      // without a collection this shows what was freed only once the next GC runs
      out.put("heapUsedAfter", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return out;
  }
}
