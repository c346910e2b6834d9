/** Implementation details of the workflows module. Not API: may change without notice. */
package io.abafix.workflows.internal;
