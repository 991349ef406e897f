package io.k9p.client;

import io.k9p.protocol.Qid;

/**
 * A fid of this client's, with the qid of the file it names. A fid is dead once it has been
 * clunked or released: its number may then name another file.
 */
public record Fid(int number, Qid qid) {}
