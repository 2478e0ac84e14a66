"""Pure computations on area statistics: indices, classes, trends, confidentiality.
No Django here: plain data in, plain data out."""
