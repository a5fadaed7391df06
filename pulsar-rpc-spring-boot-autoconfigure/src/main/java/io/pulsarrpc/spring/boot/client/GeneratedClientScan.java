package io.pulsarrpc.spring.boot.client;

import io.pulsarrpc.protobuf.GeneratedService;
import java.beans.Introspector;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds the generated client interfaces ({@code @GeneratedService} whose {@code client} is the
 * interface itself) in the auto-configuration packages and the packages of {@link
 * EnablePulsarRpcClients}, and defines a singleton bean for each, named after the interface ({@code
 * greeterClient}), unless the application defines a bean of that type itself. Runs once, before any
 * bean is created.
 */
final class GeneratedClientScan
    implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, ResourceLoaderAware {

  private Environment environment;
  private ResourceLoader resourceLoader;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setResourceLoader(ResourceLoader resourceLoader) {
    this.resourceLoader = resourceLoader;
  }

  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
    ListableBeanFactory beanFactory = (ListableBeanFactory) registry;
    Set<String> packages = new LinkedHashSet<>();
    if (AutoConfigurationPackages.has(beanFactory)) {
      packages.addAll(AutoConfigurationPackages.get(beanFactory));
    }
    beanFactory
        .getBeansOfType(ClientPackages.class, false, false)
        .values()
        .forEach(each -> packages.addAll(each.packages()));
    for (Class<?> clientType : clientTypes(packages)) {
      if (beanFactory.getBeanNamesForType(clientType, true, false).length > 0) {
        continue;
      }
      String name = Introspector.decapitalize(clientType.getSimpleName());
      registry.registerBeanDefinition(name, definition(beanFactory, name, clientType));
    }
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {}

  private static <C> RootBeanDefinition definition(
      ListableBeanFactory beanFactory, String name, Class<C> clientType) {
    RootBeanDefinition definition =
        new RootBeanDefinition(
            clientType, () -> beanFactory.getBean(GeneratedClients.class).create(name, clientType));
    // Closed before the factory, which then drops the client from the registry.
    definition.setDependsOn(GeneratedClients.BEAN_NAME);
    return definition;
  }

  private Set<Class<?>> clientTypes(Set<String> packages) {
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false, environment) {
          @Override
          protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
            return definition.getMetadata().isIndependent();
          }
        };
    scanner.setResourceLoader(resourceLoader);
    scanner.addIncludeFilter(new AnnotationTypeFilter(GeneratedService.class, false, false));
    ClassLoader classLoader = resourceLoader.getClassLoader();
    Set<Class<?>> result = new LinkedHashSet<>();
    for (String each : packages) {
      for (BeanDefinition candidate : scanner.findCandidateComponents(each)) {
        Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), classLoader);
        GeneratedService service = type.getAnnotation(GeneratedService.class);
        if (service != null && service.client() == type) {
          result.add(type);
        }
      }
    }
    return result;
  }
}
