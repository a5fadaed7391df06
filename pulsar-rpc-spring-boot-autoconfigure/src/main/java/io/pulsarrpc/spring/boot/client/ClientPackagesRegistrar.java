package io.pulsarrpc.spring.boot.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Records the packages of one {@link EnablePulsarRpcClients} as a bean that the generated client
 * scan reads; the scan itself runs only when the starter is on.
 */
final class ClientPackagesRegistrar implements ImportBeanDefinitionRegistrar {

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    Map<String, Object> attributes =
        metadata.getAnnotationAttributes(EnablePulsarRpcClients.class.getName());
    List<String> packages = new ArrayList<>(List.of((String[]) attributes.get("basePackages")));
    for (Class<?> type : (Class<?>[]) attributes.get("basePackageClasses")) {
      packages.add(ClassUtils.getPackageName(type));
    }
    if (packages.isEmpty()) {
      packages.add(ClassUtils.getPackageName(metadata.getClassName()));
    }
    ClientPackages value = new ClientPackages(List.copyOf(packages));
    registry.registerBeanDefinition(
        "pulsarRpcClientPackages." + metadata.getClassName(),
        new RootBeanDefinition(ClientPackages.class, () -> value));
  }
}
