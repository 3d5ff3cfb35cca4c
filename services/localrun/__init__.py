"""Run CloudKart on this one machine: private data stores, the six services and Nginx, as plain processes."""
