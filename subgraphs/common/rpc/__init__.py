"""gRPC between healthgraph services: the contracts (``.proto`` and generated modules), service
tokens, the asyncio server hook (auth, deadlines, status codes, health) and typed clients."""
