// The official client as a customer builds it, plus a record of which of its methods the flow
// called (so the suite can tell that every method of the package is exercised).
import { AgentPhoneClient } from 'agentphone';

/** Every method the package's client offers, as "resource.method", read from the client itself. */
export function clientMethods(client) {
  const proto = Object.getPrototypeOf(client);
  const resources = Object.getOwnPropertyNames(proto)
    .filter((name) => typeof Object.getOwnPropertyDescriptor(proto, name).get === 'function');
  return resources.flatMap((resource) => {
    const methods = Object.getPrototypeOf(client[resource]);
    return Object.getOwnPropertyNames(methods)
      .filter((m) => m !== 'constructor' && !m.startsWith('_') && typeof methods[m] === 'function')
      .map((m) => `${resource}.${m}`);
  }).sort();
}

/**
 * A client for {@code baseUrl} with {@code token}, as in the package's README, with retries off
 * (the client retries 5xx, which would hide a failure) and a short timeout.
 */
export function newClient(baseUrl, token, options = {}) {
  return new AgentPhoneClient({ token, baseUrl, maxRetries: 0, timeoutInSeconds: 15, ...options });
}

/** {@code client}, with every method call noted in {@code called} on its way through. */
export function tracked(client, called) {
  return new Proxy(client, {
    get(target, resource) {
      // the client's own getters run on the client itself, not on this proxy
      const value = Reflect.get(target, resource, target);
      if (typeof resource !== 'string' || resource.startsWith('_') || value === null || typeof value !== 'object') {
        return value;
      }
      return new Proxy(value, {
        get(inner, method) {
          const fn = Reflect.get(inner, method, inner);
          if (typeof method !== 'string' || typeof fn !== 'function' || method.startsWith('_')) {
            return fn;
          }
          return (...args) => {
            called.add(`${resource}.${method}`);
            return fn.apply(inner, args);
          };
        },
      });
    },
  });
}
