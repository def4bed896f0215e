/** The Secret Fetch task for Camunda 7. */
package io.secretfetch.camunda;
