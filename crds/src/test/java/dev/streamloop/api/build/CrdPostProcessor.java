package dev.streamloop.api.build;

import dev.streamloop.api.v1alpha1.Formats;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Finishes the generated CRD: the root description, printer columns in the order the model declares
 * them (the generator sorts them, but kubectl shows them in CRD order), and each CEL rule once (for
 * a record component the generator sees the annotation on both the field and the accessor), and the
 * quantity pattern on int-or-string fields (the generator drops {@code @Pattern} there; every
 * int-or-string of this model is a Quantity). Keeps the result for the caller.
 */
final class CrdPostProcessor implements CRDPostProcessor {
  private final String rootDescription;
  private final List<String> columnOrder;
  private CustomResourceDefinition result;

  CrdPostProcessor(String rootDescription, Class<?> customResource) {
    this.rootDescription = rootDescription;
    this.columnOrder =
        List.of(customResource.getAnnotationsByType(AdditionalPrinterColumn.class)).stream()
            .map(AdditionalPrinterColumn::name)
            .toList();
  }

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    CustomResourceDefinition definition = (CustomResourceDefinition) crd;
    for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      root.setDescription(rootDescription);
      finish(root);
      // Conditions are a map keyed by type (as metav1.Condition lists are), so server-side
      // apply and strategic merges treat each condition on its own.
      JSONSchemaProps conditions =
          root.getProperties().get("status").getProperties().get("conditions");
      conditions.setXKubernetesListType("map");
      conditions.setXKubernetesListMapKeys(List.of("type"));
      // Columns are keyed by name: the server rejects duplicates without a CEL rule, whose
      // estimated cost (256 x 256 comparisons x 16 sources) exceeded the per-rule budget.
      JSONSchemaProps columns =
          root.getProperties()
              .get("spec")
              .getProperties()
              .get("sources")
              .getItems()
              .getSchema()
              .getProperties()
              .get("schema");
      columns.setXKubernetesListType("map");
      columns.setXKubernetesListMapKeys(List.of("name"));
      List<CustomResourceColumnDefinition> printerColumns =
          new ArrayList<>(version.getAdditionalPrinterColumns());
      printerColumns.sort(Comparator.comparingInt(c -> columnOrder.indexOf(c.getName())));
      version.setAdditionalPrinterColumns(printerColumns);
    }
    result = definition;
    return crd;
  }

  CustomResourceDefinition result() {
    return result;
  }

  private static void finish(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
      schema.setPattern(Formats.QUANTITY);
    }
    if (schema.getXKubernetesValidations() != null
        && !schema.getXKubernetesValidations().isEmpty()) {
      schema.setXKubernetesValidations(
          new ArrayList<>(new LinkedHashSet<>(schema.getXKubernetesValidations())));
    }
    schema.getProperties().values().forEach(CrdPostProcessor::finish);
    if (schema.getItems() != null) {
      finish(schema.getItems().getSchema());
    }
    if (schema.getAdditionalProperties() != null) {
      finish(schema.getAdditionalProperties().getSchema());
    }
  }
}
