/**
 * How abafix's runs explain themselves in Temporal: search attributes ({@link
 * io.abafix.workflows.visibility.SearchAttributes}), the run's current details and upserts ({@link
 * io.abafix.workflows.visibility.RunVisibility}), static summaries and details ({@link
 * io.abafix.workflows.visibility.RunDescriptions}) and activity summaries ({@link
 * io.abafix.workflows.visibility.ActivitySummaries}).
 */
package io.abafix.workflows.visibility;
