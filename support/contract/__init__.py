"""The platform's contract as this repository pins it: the OpenAPI document and the assistant's messages."""
