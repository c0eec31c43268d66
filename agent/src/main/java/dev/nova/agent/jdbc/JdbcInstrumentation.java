package dev.nova.agent.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.failSafe;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.InstrumentationModule;
import dev.nova.agent.Interest;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every JDBC path of the host, whatever the driver or pool: connections from a {@code DataSource}
 * or the {@code DriverManager}, {@code Driver.connect} for reachability, {@code Connection.close},
 * statements created and executed. HikariCP pools are discovered as they start, and the pool's own
 * opening of physical connections is marked so that it is never taken for a borrow.
 */
public final class JdbcInstrumentation implements InstrumentationModule {
  private static final ElementMatcher.Junction<TypeDescription> CONCRETE =
      not(isInterface())
          .and(not(nameStartsWith("dev.nova.agent.")))
          .and(not(nameStartsWith("dev.nova.core.")));

  @Override
  public String name() {
    return "jdbc";
  }

  /**
   * A concrete class of {@code iface} that declares one of the methods advised on it. The advice
   * goes on declared methods only, so a class declaring none of them would get nothing: asking for
   * its own methods first (read off its class file, which is at hand) keeps the hierarchy walk,
   * which reads every supertype's class file, off nearly every class the host loads.
   */
  private static ElementMatcher.Junction<TypeDescription> implementing(
      String iface, String... methods) {
    // fail-safe: a class whose hierarchy cannot be resolved (a logging bridge whose library is
    // absent, say) is no JDBC class, and not an error of Nova's
    return CONCRETE
        .and(declaresMethod(namedOneOf(methods).and(not(isAbstract()))))
        .and(failSafe(hasSuperType(named(iface))));
  }

  private static ElementMatcher.Junction<MethodDescription> concrete(String name) {
    return named(name).and(not(isAbstract())).and(not(isStatic()));
  }

  @Override
  public void interest(Interest interest) {
    interest
        .types(
            "java.sql.DriverManager",
            "com.zaxxer.hikari.pool.PoolBase",
            "com.zaxxer.hikari.pool.HikariPool")
        .methods(
            "getConnection",
            "connect",
            "close",
            "prepareStatement",
            "prepareCall",
            "createStatement")
        .methods(EXECUTE);
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder) {
    return builder
        .type(implementing("javax.sql.DataSource", "getConnection"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(JdbcAdvice.Acquire.class)
                        .on(
                            concrete("getConnection")
                                .and(
                                    takesArguments(0)
                                        .or(takesArguments(String.class, String.class)))
                                .and(returns(hasSuperType(named("java.sql.Connection")))))))
        .type(named("java.sql.DriverManager"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(JdbcAdvice.DriverManagerAcquire.class)
                        .on(
                            named("getConnection")
                                .and(isStatic())
                                .and(takesArgument(0, String.class))
                                .and(
                                    not(
                                        takesArguments(
                                            String.class,
                                            java.util.Properties.class,
                                            Class.class))))))
        .type(implementing("java.sql.Driver", "connect"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(JdbcAdvice.Connect.class)
                        .on(
                            concrete("connect")
                                .and(takesArguments(String.class, java.util.Properties.class)))))
        .type(
            implementing(
                "java.sql.Connection",
                "close",
                "prepareStatement",
                "prepareCall",
                "createStatement"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                        Advice.to(JdbcAdvice.Close.class)
                            .on(concrete("close").and(takesArguments(0))))
                    .visit(
                        Advice.to(JdbcAdvice.Prepare.class)
                            .on(
                                concrete("prepareStatement")
                                    .or(concrete("prepareCall"))
                                    .and(takesArgument(0, String.class))))
                    .visit(Advice.to(JdbcAdvice.Create.class).on(concrete("createStatement"))))
        .type(implementing("java.sql.Statement", EXECUTE))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                        Advice.to(JdbcAdvice.ExecuteSql.class)
                            .on(executeMethod().and(takesArgument(0, String.class))))
                    .visit(
                        Advice.to(JdbcAdvice.Execute.class)
                            .on(executeMethod().and(takesArguments(0)))))
        .type(named("com.zaxxer.hikari.pool.PoolBase"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(JdbcAdvice.PoolInternal.class)
                        .on(named("newConnection").or(named("newPoolEntry")))))
        .type(named("com.zaxxer.hikari.pool.HikariPool"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(Advice.to(JdbcAdvice.PoolCreated.class).on(isConstructor())));
  }

  private static final String[] EXECUTE = {
    "execute",
    "executeQuery",
    "executeUpdate",
    "executeLargeUpdate",
    "executeBatch",
    "executeLargeBatch"
  };

  private static ElementMatcher.Junction<MethodDescription> executeMethod() {
    return not(isAbstract()).and(not(isStatic())).and(namedOneOf(EXECUTE));
  }
}
