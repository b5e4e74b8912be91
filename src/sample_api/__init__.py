"""WebAPI sample: users on PostgreSQL behind API Gateway."""
