/** A Kubernetes Status object, as the API server answers a request it refuses. */
export interface KubeStatus {
  code: number;
  body: Record<string, unknown>;
}

const reasons: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'AlreadyExists',
  415: 'UnsupportedMediaType',
};

export function failure(code: number, message: string, details?: { name?: string; group?: string; kind?: string }): KubeStatus {
  return {
    code,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: reasons[code] ?? 'InternalError', ...(details ? { details } : {}), code },
  };
}
