/** The PrimeFaces UI. One view bean per page; the bean's package mirrors the page's URL. */
package com.llmchat.web;
