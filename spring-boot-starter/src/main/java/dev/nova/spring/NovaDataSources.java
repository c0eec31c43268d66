package dev.nova.spring;

import dev.nova.core.Nova;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import javax.sql.DataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Every {@code DataSource} bean observed by Nova ({@code nova.jdbc().wrap}) without changing its
 * type for the application: the bean becomes a proxy of its own class (a {@code HikariDataSource}
 * stays one, so what injects or unwraps it as such still works) whose {@code getConnection} goes
 * through Nova; every other method reaches the bean itself. A class that cannot be subclassed
 * (final) is proxied by its interfaces.
 */
final class NovaDataSources implements BeanPostProcessor {
  private final ObjectProvider<Nova> nova;

  NovaDataSources(ObjectProvider<Nova> nova) {
    this.nova = nova;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String name) {
    if (!(bean instanceof DataSource ds)) {
      return bean;
    }
    Nova n = nova.getIfAvailable();
    if (n == null) {
      return bean;
    }
    DataSource observed = n.jdbc().wrap(ds);
    ProxyFactory proxy = new ProxyFactory(bean);
    proxy.setProxyTargetClass(!Modifier.isFinal(bean.getClass().getModifiers()));
    proxy.addAdvice(
        (MethodInterceptor)
            call -> {
              Method m = call.getMethod();
              if (m.getName().equals("getConnection") && m.getReturnType() == Connection.class) {
                Object[] a = call.getArguments();
                return a.length == 0
                    ? observed.getConnection()
                    : observed.getConnection((String) a[0], (String) a[1]);
              }
              return call.proceed();
            });
    return proxy.getProxy(bean.getClass().getClassLoader());
  }
}
