/** See the module description. */
package dev.coxswain.agent;
