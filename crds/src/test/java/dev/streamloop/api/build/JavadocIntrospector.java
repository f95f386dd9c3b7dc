package dev.streamloop.api.build;

import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQuerySpec;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * Gives Jackson (and so the CRD generator) each property's description from the model's Javadoc.
 */
final class JavadocIntrospector extends JacksonAnnotationIntrospector {
  private final transient JavadocIndex javadoc;

  JavadocIntrospector(JavadocIndex javadoc) {
    this.javadoc = javadoc;
  }

  @Override
  public String findPropertyDescription(Annotated annotated) {
    if (annotated instanceof AnnotatedMember member) {
      Class<?> owner = member.getDeclaringClass();
      String name = member.getName();
      if (owner == CustomResource.class || owner == StreamingQuery.class) {
        if (name.equals("spec") || name.equals("getSpec")) {
          return javadoc.type(StreamingQuerySpec.class.getCanonicalName()).orElse(null);
        }
        if (name.equals("status") || name.equals("getStatus")) {
          return javadoc.type(StreamingQueryStatus.class.getCanonicalName()).orElse(null);
        }
      }
      if (owner.isRecord()) {
        String found = javadoc.component(owner.getCanonicalName(), name).orElse(null);
        if (found != null) {
          return found;
        }
      }
    }
    return super.findPropertyDescription(annotated);
  }
}
