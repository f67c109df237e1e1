/** See the module description. */
package dev.coxswain.collector;
