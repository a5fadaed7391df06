/** A generated service served and called through the starter's beans. */
package io.pulsarrpc.spring.boot.greeter;
