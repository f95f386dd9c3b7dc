/**
 * The {@code streamloop.dev/v1alpha1} API: the {@link dev.streamloop.api.v1alpha1.StreamingQuery}
 * custom resource, its spec and its status.
 *
 * <p>The CRD YAML under {@code crds/} is generated from these classes: the Javadoc of every record
 * component ({@code @param}) becomes the field's description in {@code kubectl explain}, the
 * fabric8 generator annotations become OpenAPI validation, and {@code @ValidationRule}s become CEL
 * rules ({@code x-kubernetes-validations}).
 *
 * <p>Enum values borrowed from Spark keep Spark's spelling ({@code append}, {@code json}, {@code
 * earliest}); values of our own follow the Kubernetes convention of CamelCase ({@code Forbid},
 * {@code Retain}, {@code DeadLetter}).
 */
package dev.streamloop.api.v1alpha1;
