package io.pulsarrpc.spring.boot.server;

import io.pulsarrpc.spring.boot.PulsarRpcHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds, in each bean as it is initialized, its {@link PulsarRpcHandler} methods and the generated
 * services it implements, and keeps them for {@link RpcServers} to start. A wrong handler shape
 * fails that bean's creation, hence the startup. Thread-safe (beans may be initialized from several
 * threads).
 */
final class HandlerCollector implements BeanPostProcessor, BeanFactoryAware {

  private static final boolean GENERATED_SERVICES =
      ClassUtils.isPresent(
          "io.pulsarrpc.protobuf.GeneratedService", HandlerCollector.class.getClassLoader());

  private final List<ServerSpec> specs = new ArrayList<>();
  private ConfigurableBeanFactory beanFactory;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = (ConfigurableBeanFactory) beanFactory;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    Class<?> type = AopUtils.getTargetClass(bean);
    Map<Method, PulsarRpcHandler> handlers =
        MethodIntrospector.selectMethods(
            type,
            (MethodIntrospector.MetadataLookup<PulsarRpcHandler>)
                method ->
                    AnnotatedElementUtils.findMergedAnnotation(method, PulsarRpcHandler.class));
    List<ServerSpec> found = new ArrayList<>();
    handlers.forEach(
        (method, handler) ->
            found.add(
                HandlerMethod.of(
                    beanName,
                    bean,
                    AopUtils.selectInvocableMethod(method, bean.getClass()),
                    resolve(handler.topic()),
                    handler.subscription().isEmpty()
                        ? resolve("${spring.application.name:application}-rpc")
                        : resolve(handler.subscription()),
                    handler.concurrency())));
    if (GENERATED_SERVICES) {
      found.addAll(GeneratedServer.of(beanName, bean, type));
    }
    if (!found.isEmpty()) {
      synchronized (specs) {
        specs.addAll(found);
      }
    }
    return bean;
  }

  List<ServerSpec> specs() {
    synchronized (specs) {
      return List.copyOf(specs);
    }
  }

  private String resolve(String value) {
    return beanFactory.resolveEmbeddedValue(value);
  }
}
