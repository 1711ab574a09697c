"""What every folder of features/ shares: a record's life cycle, mistakes in what people send and the bad requests that make them."""
