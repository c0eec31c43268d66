package dev.nova.agent.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.InstrumentationModule;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every JDBC path of the host, whatever the driver or pool: connections from a {@code DataSource}
 * or the {@code DriverManager}, {@code Driver.connect} for reachability, {@code Connection.close},
 * statements created and executed. HikariCP pools are discovered as they start, and the pool's own
 * opening of physical connections is marked so that it is never taken for a borrow.
 */
public final class JdbcInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "jdbc";
  }

  private static ElementMatcher.Junction<MethodDescription> concrete(String name) {
    return named(name).and(not(isAbstract())).and(not(isStatic()));
  }

  @Override
  public void hook(Hooking h) {
    h.declaring(
            "javax.sql.DataSource",
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(JdbcAdvice.Acquire.class)
                        .on(
                            concrete("getConnection")
                                .and(
                                    takesArguments(0)
                                        .or(takesArguments(String.class, String.class)))
                                .and(returns(hasSuperType(named("java.sql.Connection")))))),
            "getConnection")
        .named(
            "java.sql.DriverManager",
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
        .declaring(
            "java.sql.Driver",
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(JdbcAdvice.Connect.class)
                        .on(
                            concrete("connect")
                                .and(takesArguments(String.class, java.util.Properties.class)))),
            "connect")
        .declaring(
            "java.sql.Connection",
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
                    .visit(Advice.to(JdbcAdvice.Create.class).on(concrete("createStatement"))),
            "close",
            "prepareStatement",
            "prepareCall",
            "createStatement")
        .declaring(
            "java.sql.Statement",
            (b, type, loader, module, domain) ->
                b.visit(
                        Advice.to(JdbcAdvice.ExecuteSql.class)
                            .on(executeMethod().and(takesArgument(0, String.class))))
                    .visit(
                        Advice.to(JdbcAdvice.Execute.class)
                            .on(executeMethod().and(takesArguments(0)))),
            EXECUTE)
        .named(
            "com.zaxxer.hikari.pool.PoolBase",
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(JdbcAdvice.PoolInternal.class)
                        .on(named("newConnection").or(named("newPoolEntry")))))
        .named(
            "com.zaxxer.hikari.pool.HikariPool",
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
