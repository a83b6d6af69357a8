"""Where graphs live and travel: the corpus store on disk, the query engines (pyoxigraph, rdflib, a remote
endpoint), RDF files in and out, pushing to a server, and the outbound-request policy.  Depends only on the
package's leaf modules."""
